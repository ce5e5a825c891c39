import { ApiError, api, data, setCsrfToken } from '../ui/api.js';

/** The SWR key of who is signed in to this portal (sign-in, sign-out and password screens change it). */
export const sessionKey = (slug: string) => ['session', slug] as const;

/** Who is signed in to this portal, or null for nobody. */
export async function loadSession(slug: string) {
  try {
    const identity = await data(api.GET('/api/portal/{slug}/session', { params: { path: { slug } } }));
    setCsrfToken(identity.csrfToken);
    return identity;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
