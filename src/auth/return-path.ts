/**
 * Where to send someone after signing in. Only a path inside the same portal is honoured: an absolute URL,
 * a protocol-relative `//host`, a backslash trick (`/\host`, which browsers read as `//host`), control
 * characters or another portal's path all fall back to the portal's home. This closes the open redirect that
 * login pages are known for.
 */
export function safeReturnPath(requested: string | undefined, portalHome: string): string {
  if (requested === undefined || requested === '') return portalHome;
  if (requested.length > 500) return portalHome;
  const unsafe = [...requested].some((c) => c === '\\' || c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
  if (unsafe) return portalHome;
  if (!requested.startsWith(portalHome) || requested.startsWith('//')) return portalHome;
  // Resolving against a dummy origin must keep us on it and inside the portal (no `/../` escapes).
  const resolved = new URL(requested, 'http://same.origin');
  if (resolved.origin !== 'http://same.origin' || !resolved.pathname.startsWith(portalHome)) return portalHome;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
