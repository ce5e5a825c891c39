import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import { addressLines, customerLines, organizationLines } from '../../pdf/format.js';

/**
 * Who a document is from and to, with the same lines as its PDF (`src/pdf/format.ts`): the business's name and
 * letterhead, the client's name and billing address under "Bill to", and "Ship to" when the client has a
 * shipping address. Only the scope's own organization and customer are read.
 */
export async function documentParties(ctx: AppContext, scope: PortalScope) {
  const db = ctx.db.kysely;
  const organization = await db
    .selectFrom('organizations')
    .select(['name', 'address', 'email', 'phone', 'website'])
    .where('id', '=', scope.organizationId)
    .executeTakeFirst();
  const customer = await db
    .selectFrom('customers')
    .select(['displayName', 'companyName', 'billingAddress', 'shippingAddress', 'email'])
    .where('id', '=', scope.customerId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!organization || !customer) throw notFound('customer');
  const shipping = addressLines(customer.shippingAddress);
  return {
    from: { name: organization.name, lines: organizationLines(organization) },
    billTo: { name: customer.displayName, lines: customerLines(customer) },
    shipTo: shipping.length > 0 ? { name: customer.displayName, lines: shipping } : null,
  };
}
