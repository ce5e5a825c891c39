import type { ReactNode } from 'react';
import type { Address } from '../../../src/domain/addresses.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages/en.js';
import { Field } from './forms.js';

/**
 * A postal address as the back office edits it (the organization's, a customer's billing and shipping address):
 * one labelled input per line of the API's `Address`, with the `autocomplete` tokens browsers know. The country is
 * free text, as documents print it (the ISO code e-invoices need is chosen apart).
 */

type Line = keyof Address;

/** Each line: its label, the API's length limit, its `autocomplete` token, and whether it spans the grid. */
const LINES: Array<{ line: Line; label: MessageKey; maxLength: number; autoComplete: string; wide?: boolean }> = [
  { line: 'attention', label: 'address.attention', maxLength: 200, autoComplete: 'name', wide: true },
  { line: 'street1', label: 'address.street1', maxLength: 200, autoComplete: 'address-line1', wide: true },
  { line: 'street2', label: 'address.street2', maxLength: 200, autoComplete: 'address-line2', wide: true },
  { line: 'city', label: 'address.city', maxLength: 100, autoComplete: 'address-level2' },
  { line: 'state', label: 'address.state', maxLength: 100, autoComplete: 'address-level1' },
  { line: 'postalCode', label: 'address.postalCode', maxLength: 20, autoComplete: 'postal-code' },
  { line: 'country', label: 'address.country', maxLength: 100, autoComplete: 'country-name' },
  { line: 'phone', label: 'address.phone', maxLength: 40, autoComplete: 'tel' },
];

/** An address as its form holds it: every line as text ("" when blank). */
export type AddressText = Record<Line, string>;

export function addressText(address: Address | undefined): AddressText {
  return Object.fromEntries(LINES.map(({ line }) => [line, address?.[line] ?? ''])) as AddressText;
}

/**
 * The address as the API takes it: trimmed lines, blank ones left out. The API stores the object whole, so a line
 * left out is cleared.
 */
export function addressBody(text: AddressText): Address {
  return Object.fromEntries(
    LINES.map(({ line }) => [line, text[line].trim()]).filter(([, value]) => value !== ''),
  ) as Address;
}

export const isBlankAddress = (text: AddressText) => Object.keys(addressBody(text)).length === 0;

export const sameAddress = (a: AddressText, b: AddressText) =>
  JSON.stringify(addressBody(a)) === JSON.stringify(addressBody(b));

export function AddressFields(props: {
  legend: string;
  /** The address's JSON path in the request ("/billingAddress"): the fields' ids, and where their errors are. */
  path: string;
  value: AddressText;
  onChange(next: AddressText): void;
  errors?: Record<string, string>;
  /** For a customer: which of their addresses this is, so a browser fills in the right one. */
  section?: 'billing' | 'shipping';
  /** Lines the form shows elsewhere (the organization has its own phone); their stored text is kept as it is. */
  hide?: Line[];
  /** Shown under the legend, before the lines (the shipping address's "Same as billing address"). */
  children?: ReactNode;
  /** False folds the lines away (the choice in `children` stays). */
  showLines?: boolean;
  disabled?: boolean;
  /** False leaves out "(optional)" after each label, in a form that marks no field so. */
  markOptional?: boolean;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="form-section address-fields" disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.children}
      {props.showLines !== false && (
        <div className="form-grid">
          {LINES.filter(({ line }) => !props.hide?.includes(line)).map((spec) => (
            <Field
              key={spec.line}
              path={`${props.path}/${spec.line}`}
              label={t(spec.label)}
              value={props.value[spec.line]}
              onChange={(text) => props.onChange({ ...props.value, [spec.line]: text })}
              error={props.errors?.[`${props.path}/${spec.line}`]}
              type={spec.line === 'phone' ? 'tel' : 'text'}
              autoComplete={props.section ? `${props.section} ${spec.autoComplete}` : spec.autoComplete}
              maxLength={spec.maxLength}
              className={spec.wide ? 'wide-field' : undefined}
              markOptional={props.markOptional}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}
