import { useId, useState } from 'react';
import { useI18n } from '../../ui/i18n.js';

/** 0–4, from length and variety only: a hint for the person, the server's rules decide. */
export function strengthOf(password: string, minLength: number): number {
  if (password.length < minLength) return 0;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((kind) => kind.test(password)).length;
  const words = password.trim().split(/\s+/).length;
  return Math.min(4, 1 + Math.floor((password.length - minLength) / 6) + (kinds >= 3 ? 1 : 0) + (words >= 4 ? 1 : 0));
}

/** A password input with a show/hide toggle; paste is always allowed. */
export function PasswordField(props: {
  name: string;
  label: string;
  autoComplete: 'current-password' | 'new-password';
  describedBy?: string;
  invalid?: boolean;
  onChange?: (value: string) => void;
}) {
  const { t } = useI18n();
  const [visible, setVisible] = useState(false);
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="password-row">
        <input
          id={id}
          name={props.name}
          type={visible ? 'text' : 'password'}
          autoComplete={props.autoComplete}
          required
          maxLength={128}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid || undefined}
          onChange={(event) => props.onChange?.(event.target.value)}
        />
        <label className="checkbox small">
          <input type="checkbox" checked={visible} onChange={(event) => setVisible(event.target.checked)} />
          {t('auth.showPassword')}
        </label>
      </div>
    </div>
  );
}
