import { ApiError, api, data, setCsrfToken } from '../ui/api.js';

/** The SWR key of who is signed in (sign-in, setup and settings that change the organization refresh it). */
export const SESSION_KEY = ['session'] as const;

/** Who is signed in and their organization (its locale, currency and time zone), or null when nobody is. */
export async function loadSession() {
  try {
    const identity = await data(api.GET('/api/v1/session'));
    setCsrfToken(identity.csrfToken);
    const organization = await data(api.GET('/api/v1/organization'));
    return { identity, organization };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
