/** A postal address as the API takes it and stores it (a JSON object; every line optional). */
export interface Address {
  attention?: string;
  street1?: string;
  street2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  phone?: string;
}

/**
 * The lines of an address block, as documents print it and the back office shows it: attention, streets,
 * "city, state, postal code", country, phone; blank lines left out.
 */
export function addressLines(address: Address): string[] {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  const cityLine = [text(address.city), text(address.state), text(address.postalCode)].filter(Boolean).join(', ');
  return [
    text(address.attention),
    text(address.street1),
    text(address.street2),
    cityLine || null,
    text(address.country),
    text(address.phone),
  ].filter((line): line is string => line !== null);
}
