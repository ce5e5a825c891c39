/** Who is asking, on the business side. Every business query takes one and filters by its organization. */
export interface OrgScope {
  organizationId: string;
  /** Null for API-key requests and for the scheduler. */
  userId: string | null;
  role: 'owner' | 'admin' | 'staff';
  /** `system`: Portico itself, e.g. the scheduler generating a recurring invoice. */
  via: 'session' | 'api_key' | 'system';
  /** For API-key requests: the key, the user it acts for (its role is at most theirs), whether it may manage access. */
  apiKey?: { id: string; actsForUserId: string; canManageAccess: boolean };
}

/**
 * Who is asking, on the client portal: a contact person of one customer of one organization. Every portal
 * query takes one; the organization and customer always come from here, never from the request.
 */
export interface PortalScope {
  organizationId: string;
  customerId: string;
  contactPersonId: string;
}
