import type { AppContext } from '../../context.js';
import { AppError, type FieldError } from '../../domain/errors.js';

/** A party of an e-invoice as EN 16931 names it: seller (BG-4) or buyer (BG-7). */
export interface EInvoiceParty {
  name: string;
  /** The trading name when it differs from the legal name. */
  tradingName: string | null;
  street1: string | null;
  street2: string | null;
  city: string | null;
  postalCode: string | null;
  state: string | null;
  countryCode: string;
  taxId: string | null;
  companyId: string | null;
  /**
   * The electronic address (BT-34, BT-49): the Peppol participant id split into its EAS scheme and identifier, or
   * else the e-mail address (EAS scheme EM). `peppol` says which.
   */
  endpoint: { scheme: string; id: string; peppol: boolean };
  email: string | null;
  phone: string | null;
}

export type PartyAddress = ReturnType<typeof addressOf>;

interface StoredAddress {
  street1?: string;
  street2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
}

const present = (value: string | null | undefined) => (value && value.trim() !== '' ? value.trim() : null);

function endpointOf(peppolId: string | null, email: string | null) {
  if (peppolId) {
    const [scheme = '', ...rest] = peppolId.split(':');
    return { scheme, id: rest.join(':'), peppol: true };
  }
  return email ? { scheme: 'EM', id: email, peppol: false } : null;
}

function addressOf(json: string) {
  const address = JSON.parse(json) as StoredAddress;
  return {
    street1: present(address.street1),
    street2: present(address.street2),
    city: present(address.city),
    postalCode: present(address.postalCode),
    state: present(address.state),
  };
}

/**
 * The seller and the buyer of an invoice, or 422 `e_invoice_incomplete` naming every detail still missing: both
 * countries and electronic addresses (a Peppol id or an e-mail address) always, and the business's VAT id when the
 * invoice charges tax (BR-S-02, BR-Z-02, BR-E-02). Nothing is stored: the next request reads the details again.
 */
export async function loadParties(ctx: AppContext, organizationId: string, customerId: string, taxed: boolean) {
  const db = ctx.db.kysely;
  const org = await db
    .selectFrom('organizations')
    .select(['name', 'email', 'phone', 'address', 'countryCode', 'taxId', 'companyId', 'peppolId'])
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  const customer = await db
    .selectFrom('customers')
    .select([
      'displayName',
      'companyName',
      'email',
      'phone',
      'billingAddress',
      'shippingAddress',
      'countryCode',
      'taxId',
      'peppolId',
    ])
    .where('id', '=', customerId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirstOrThrow();

  const sellerEndpoint = endpointOf(present(org.peppolId), present(org.email));
  const buyerEndpoint = endpointOf(present(customer.peppolId), present(customer.email));
  const missing: FieldError[] = [];
  if (!org.countryCode) {
    missing.push({ path: '/organization/countryCode', message: "Add your business's country in Settings." });
  }
  if (taxed && !org.taxId) {
    missing.push({ path: '/organization/taxId', message: "Add your business's VAT number in Settings." });
  }
  if (!sellerEndpoint) {
    missing.push({
      path: '/organization/peppolId',
      message: "Add your business's e-mail address or Peppol id in Settings.",
    });
  }
  if (!customer.countryCode) {
    missing.push({ path: '/customer/countryCode', message: `Add the country of ${customer.displayName}.` });
  }
  if (!buyerEndpoint) {
    missing.push({
      path: '/customer/peppolId',
      message: `Add the e-mail address or Peppol id of ${customer.displayName}.`,
    });
  }
  if (missing.length > 0 || !org.countryCode || !customer.countryCode || !sellerEndpoint || !buyerEndpoint) {
    throw new AppError(
      'e_invoice_incomplete',
      `Before making an e-invoice: ${missing.map((field) => field.message).join(' ')}`,
      missing,
    );
  }

  const legalName = present(customer.companyName) ?? customer.displayName;
  const seller: EInvoiceParty = {
    name: org.name,
    tradingName: null,
    ...addressOf(org.address),
    countryCode: org.countryCode,
    // An invoice outside the scope of VAT must not carry VAT ids (BR-O-02).
    taxId: taxed ? org.taxId : null,
    companyId: present(org.companyId),
    endpoint: sellerEndpoint,
    email: present(org.email),
    phone: present(org.phone),
  };
  const buyer: EInvoiceParty = {
    name: legalName,
    tradingName: legalName !== customer.displayName ? customer.displayName : null,
    ...addressOf(customer.billingAddress),
    countryCode: customer.countryCode,
    taxId: taxed ? present(customer.taxId) : null,
    companyId: null,
    endpoint: buyerEndpoint,
    email: present(customer.email),
    phone: present(customer.phone),
  };
  // Where the work or goods went (BG-15): the shipping address when the customer has one, else the billing one.
  const shipping = addressOf(customer.shippingAddress);
  const deliverTo = Object.values(shipping).some((line) => line !== null)
    ? shipping
    : addressOf(customer.billingAddress);
  return { seller, buyer, deliverTo };
}
