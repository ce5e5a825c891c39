/**
 * Where to go after signing in: the `returnTo` a signed-out visit remembered, when it is a path of this app (the
 * router resolves it under the app's base, `/app` or `/portal/<name>`), else the app's Home. Never another site:
 * `//host` and backslash tricks fall back to Home.
 */
export function returnPathFrom(returnTo: string | null): string {
  return returnTo && /^\/(?!\/)/.test(returnTo) && !returnTo.includes('\\') ? returnTo : '/';
}
