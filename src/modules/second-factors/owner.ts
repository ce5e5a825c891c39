import type { OrgScope, PortalScope } from '../../auth/scopes.js';
import type { Realm } from '../../auth/sessions.js';
import { AppError } from '../../domain/errors.js';

/** Whose second factors: a business user or a portal contact person, always with their organization. */
export interface FactorOwner {
  realm: Realm;
  organizationId: string;
  userId: string | null;
  contactPersonId: string | null;
}

/** The signed-in business user; API keys have no second factors of their own. */
export function userOwner(scope: OrgScope): FactorOwner {
  if (scope.userId === null) throw new AppError('forbidden', 'Second factors belong to a signed-in user.');
  return { realm: 'business', organizationId: scope.organizationId, userId: scope.userId, contactPersonId: null };
}

export const contactOwner = (scope: Pick<PortalScope, 'organizationId' | 'contactPersonId'>): FactorOwner => ({
  realm: 'portal',
  organizationId: scope.organizationId,
  userId: null,
  contactPersonId: scope.contactPersonId,
});

/** The column naming the owner in the factor, recovery-code and challenge tables, and its value. */
export const personColumn = (owner: FactorOwner) => (owner.userId !== null ? 'userId' : 'contactPersonId');
export const personId = (owner: FactorOwner): string => owner.userId ?? owner.contactPersonId ?? '';

/** The audit entry's actor and subject for an owner. */
export const auditActor = (owner: FactorOwner) =>
  owner.userId !== null
    ? { actorType: 'user' as const, actorId: owner.userId }
    : { actorType: 'contact_person' as const, actorId: owner.contactPersonId, contactPersonId: owner.contactPersonId };
