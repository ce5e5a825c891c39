import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from './api.js';
import type { TranslateOf } from './translate.js';

/**
 * The second-factor screens both apps share (docs/second-factors.md): the sign-in's second step, and the list of a
 * person's factors with enrolment (authenticator app with its QR code, passkey), removal and recovery codes. Each
 * app passes its own translate function (its catalogues hold the `factors.*` keys) and its API calls.
 */
export type FactorKey =
  | 'factors.stepTitle'
  | 'factors.stepCode'
  | 'factors.stepRecovery'
  | 'factors.stepVerify'
  | 'factors.usePasskey'
  | 'factors.useRecovery'
  | 'factors.useApp'
  | 'factors.passkeyCancelled'
  | 'factors.title'
  | 'factors.intro'
  | 'factors.required'
  | 'factors.none'
  | 'factors.kind.totp'
  | 'factors.kind.passkey'
  | 'factors.lastUsed'
  | 'factors.neverUsed'
  | 'factors.remove'
  | 'factors.addTotp'
  | 'factors.addPasskey'
  | 'factors.totpScan'
  | 'factors.totpQrAlt'
  | 'factors.totpSecret'
  | 'factors.totpCode'
  | 'factors.confirm'
  | 'factors.cancel'
  | 'factors.recoveryTitle'
  | 'factors.recoveryBody'
  | 'factors.recoveryDone'
  | 'factors.recoveryLeft.one'
  | 'factors.recoveryLeft.other'
  | 'factors.recoveryNew'
  | 'factors.signInAgain'
  | 'factors.passkeyFailed'
  | 'factors.error';

type T = TranslateOf<FactorKey>;
type Method = 'totp' | 'passkey' | 'recovery_code';
// biome-ignore lint/suspicious/noExplicitAny: WebAuthn options and answers pass through as JSON
type Json = any;

/** The browser's passkey dialog was closed or failed: nothing reached the server. */
class PasskeyNotMade extends Error {}

function messageOf(t: T, caught: unknown): string {
  if (caught instanceof ApiError)
    return caught.code === 'recent_sign_in_required' ? t('factors.signInAgain') : caught.message;
  return caught instanceof PasskeyNotMade ? t('factors.passkeyFailed') : t('factors.error');
}

/** The sign-in's second step: a code from the app, a passkey, or a recovery code. */
export function SecondFactorStep(props: {
  t: T;
  methods: Method[];
  /** Sends the answer; resolves once signed in, rejects with an ApiError otherwise. */
  complete(
    answer: { method: 'totp' | 'recovery_code'; code: string } | { method: 'passkey'; credential: Json },
  ): Promise<void>;
  passkeyOptions(): Promise<Json>;
}) {
  const { t, methods } = props;
  const ids = useId();
  const [mode, setMode] = useState<'totp' | 'recovery_code'>(methods.includes('totp') ? 'totp' : 'recovery_code');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('factors.passkeyCancelled'));
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    void run(() => props.complete({ method: mode, code }));
  }

  const signInWithPasskey = () =>
    run(async () => {
      const optionsJSON = await props.passkeyOptions();
      const credential = await startAuthentication({ optionsJSON });
      await props.complete({ method: 'passkey', credential });
    });

  return (
    <>
      <h1>{t('factors.stepTitle')}</h1>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {(methods.includes('totp') || methods.includes('recovery_code')) && (
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${ids}-code`}>{mode === 'totp' ? t('factors.stepCode') : t('factors.stepRecovery')}</label>
            {mode === 'totp' ? (
              <input
                key="totp"
                id={`${ids}-code`}
                name="code"
                inputMode="numeric"
                pattern="[0-9]{6}"
                maxLength={6}
                autoComplete="one-time-code"
                required
              />
            ) : (
              <input
                key="recovery"
                id={`${ids}-code`}
                name="code"
                autoComplete="off"
                spellCheck={false}
                maxLength={40}
                required
              />
            )}
          </div>
          <button type="submit" className="button primary wide" disabled={busy}>
            {t('factors.stepVerify')}
          </button>
        </form>
      )}
      <p className="small">
        {methods.includes('passkey') && (
          <button type="button" className="button" onClick={signInWithPasskey} disabled={busy}>
            {t('factors.usePasskey')}
          </button>
        )}{' '}
        {mode === 'totp' && methods.includes('recovery_code') && (
          <button type="button" className="button" onClick={() => setMode('recovery_code')}>
            {t('factors.useRecovery')}
          </button>
        )}
        {mode === 'recovery_code' && methods.includes('totp') && (
          <button type="button" className="button" onClick={() => setMode('totp')}>
            {t('factors.useApp')}
          </button>
        )}
      </p>
    </>
  );
}

export interface FactorList {
  data: Array<{ id: string; kind: 'totp' | 'passkey'; label: string; createdAt: string; lastUsedAt: string | null }>;
  recoveryCodesLeft: number;
  required: boolean;
}

/** The calls the security screen makes, in the app's own API (business or portal). */
export interface FactorApi {
  startTotp(): Promise<{ id: string; secret: string; qrCode: string }>;
  confirmTotp(id: string, code: string): Promise<{ recoveryCodes: string[] | null }>;
  passkeyOptions(): Promise<Json>;
  addPasskey(credential: Json): Promise<{ recoveryCodes: string[] | null }>;
  remove(id: string): Promise<void>;
  newRecoveryCodes(): Promise<{ recoveryCodes: string[] }>;
}

/** A person's second factors: the list, enrolment, removal, recovery codes (shown once). */
export function SecondFactorSettings(props: {
  t: T;
  list: FactorList;
  api: FactorApi;
  /** An instant as the person reads it (date and time). */
  formatDate(iso: string): string;
  /** After any change: read the list (and the session) again. */
  changed(): void;
}) {
  const { t, list, api } = props;
  const [totp, setTotp] = useState<{ id: string; secret: string; qrCode: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      props.changed();
    } catch (caught) {
      setError(messageOf(t, caught));
    } finally {
      setBusy(false);
    }
  }

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (!totp) return;
    void run(async () => {
      const enrolled = await api.confirmTotp(totp.id, code);
      setTotp(null);
      setCodes(enrolled.recoveryCodes);
    });
  }

  const addPasskey = () =>
    run(async () => {
      const optionsJSON = await api.passkeyOptions();
      let credential: Json;
      try {
        credential = await startRegistration({ optionsJSON });
      } catch {
        throw new PasskeyNotMade();
      }
      const enrolled = await api.addPasskey(credential);
      setCodes(enrolled.recoveryCodes);
    });

  return (
    // The screen's own heading names it (each app's title); the section says what it is to assistive technology.
    <section aria-label={t('factors.title')}>
      {list.required && list.data.length === 0 ? (
        <p className="notice" role="status">
          {t('factors.required')}
        </p>
      ) : (
        <p className="muted">{t('factors.intro')}</p>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {codes && codes.length > 0 && (
        <div className="notice" role="status">
          <h3>{t('factors.recoveryTitle')}</h3>
          <p>{t('factors.recoveryBody')}</p>
          <ul className="recovery-codes" aria-label={t('factors.recoveryTitle')}>
            {codes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => setCodes(null)}>
            {t('factors.recoveryDone')}
          </button>
        </div>
      )}
      {list.data.length === 0 ? (
        <p>{t('factors.none')}</p>
      ) : (
        <ul className="factor-list">
          {list.data.map((factor) => (
            <li key={factor.id}>
              <strong>{factor.kind === 'totp' ? t('factors.kind.totp') : t('factors.kind.passkey')}</strong>{' '}
              <span className="muted">
                {factor.lastUsedAt
                  ? t('factors.lastUsed', { date: props.formatDate(factor.lastUsedAt) })
                  : t('factors.neverUsed')}
              </span>{' '}
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => run(() => api.remove(factor.id))}
                aria-label={`${t('factors.remove')}: ${factor.kind === 'totp' ? t('factors.kind.totp') : t('factors.kind.passkey')}`}
              >
                {t('factors.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {list.data.length > 0 && <p className="muted">{t.plural('factors.recoveryLeft', list.recoveryCodesLeft)}</p>}
      {totp ? (
        <form onSubmit={confirm}>
          <p>{t('factors.totpScan')}</p>
          <img src={totp.qrCode} alt={t('factors.totpQrAlt')} width={240} height={240} />
          <p>
            {t('factors.totpSecret')}: <code className="totp-secret">{totp.secret}</code>
          </p>
          <label className="field">
            <span>{t('factors.totpCode')}</span>
            <input
              name="code"
              inputMode="numeric"
              pattern="[0-9]{6}"
              maxLength={6}
              autoComplete="one-time-code"
              required
            />
          </label>
          <button type="submit" className="button primary" disabled={busy}>
            {t('factors.confirm')}
          </button>{' '}
          <button type="button" className="button" onClick={() => setTotp(null)}>
            {t('factors.cancel')}
          </button>
        </form>
      ) : (
        <p>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => run(async () => setTotp(await api.startTotp()))}
          >
            {t('factors.addTotp')}
          </button>{' '}
          <button type="button" className="button" disabled={busy} onClick={addPasskey}>
            {t('factors.addPasskey')}
          </button>{' '}
          {list.data.length > 0 && (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => run(async () => setCodes((await api.newRecoveryCodes()).recoveryCodes))}
            >
              {t('factors.recoveryNew')}
            </button>
          )}
        </p>
      )}
    </section>
  );
}
