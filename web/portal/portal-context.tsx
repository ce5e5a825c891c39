import { createContext, useContext } from 'react';
import type { paths } from '../ui/api-types.js';

export type Identity = paths['/api/portal/{slug}/session']['get']['responses'][200]['content']['application/json'];

export interface PortalContextValue {
  slug: string;
  identity: Identity;
  locale: string;
  currency: string;
  signedOut(): void;
}

export const PortalContext = createContext<PortalContextValue | null>(null);

/** The signed-in client's portal: its name, who is signed in, the organization's locale and currency. */
export function usePortal(): PortalContextValue {
  const value = useContext(PortalContext);
  if (!value) throw new Error('usePortal outside a signed-in portal');
  return value;
}

/** Whether Pay Now is offered: only when the business chose a payment gateway (`onlinePayments` is not `off`). */
export function usePaysOnline(): boolean {
  return usePortal().identity.settings.onlinePayments !== 'off';
}
