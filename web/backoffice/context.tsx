import { createContext, useContext } from 'react';
import type { paths } from '../ui/api-types.js';

export type Identity = paths['/api/v1/session']['get']['responses'][200]['content']['application/json'];
export type Organization = paths['/api/v1/organization']['get']['responses'][200]['content']['application/json'];

export interface BackOfficeValue {
  identity: Identity;
  organization: Organization;
  locale: string;
  timeZone: string;
  signedOut(): void;
}

export const BackOfficeContext = createContext<BackOfficeValue | null>(null);

/** The signed-in business user, their organization, its locale and time zone. */
export function useBackOffice(): BackOfficeValue {
  const value = useContext(BackOfficeContext);
  if (!value) throw new Error('useBackOffice outside a signed-in back office');
  return value;
}
