import { COUNTRY_CODES } from '../../src/domain/countries.js';
import { useLocale } from './translate.js';

/**
 * A country, chosen by its name in the reader's language (`Intl.DisplayNames`); the value sent is the ISO 3166-1
 * code e-invoices carry, never shown. The empty choice clears it.
 */
export function CountrySelect(
  props: {
    id: string;
    name: string;
    emptyLabel: string;
    describedBy?: string;
  } & ({ defaultValue: string | null } | { value: string; onChange(value: string): void }),
) {
  const locale = useLocale();
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const countries = COUNTRY_CODES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) =>
    a.name.localeCompare(b.name, locale),
  );
  return (
    <select
      id={props.id}
      name={props.name}
      aria-describedby={props.describedBy}
      {...('value' in props
        ? { value: props.value, onChange: (event) => props.onChange(event.target.value) }
        : { defaultValue: props.defaultValue ?? '' })}
    >
      <option value="">{props.emptyLabel}</option>
      {countries.map((country) => (
        <option key={country.code} value={country.code}>
          {country.name}
        </option>
      ))}
    </select>
  );
}
