/** Who is asking, on the business side. Every business query takes one and filters by its organization. */
export interface OrgScope {
  organizationId: string;
  /** Null for API-key requests. */
  userId: string | null;
  role: 'owner' | 'admin' | 'staff';
  via: 'session' | 'api_key';
}
