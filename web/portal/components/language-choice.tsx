import { type FormEvent, useState } from 'react';
import { useSWRConfig } from 'swr';
import { LANGUAGE_NAMES, LANGUAGES, type Language, languageOfLocale } from '../../../src/domain/languages.js';
import { ApiError, api, data } from '../../ui/api.js';
import { useI18n } from '../../ui/i18n.js';
import { usePortal } from '../portal-context.js';
import { sessionKey } from '../session.js';

/**
 * "Language" on My details (issue 19): the contact picks the language of the portal, of the e-mails sent to them
 * and of their PDFs, or follows the business's. A preference, so offered even where details are read-only. Each
 * language is named in itself ("Deutsch", "日本語"), so whoever cannot read the current one finds theirs.
 */
export function LanguageChoice({ chosen, onSaved }: { chosen: Language | null; onSaved: () => void }) {
  const { t } = useI18n();
  const { slug, identity } = usePortal();
  const { mutate } = useSWRConfig();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const business = identity.organization.name;
  const businessLanguage = LANGUAGE_NAMES[languageOfLocale(identity.organization.locale)];

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('language');
    const language = LANGUAGES.find((l) => l === value) ?? null;
    setBusy(true);
    setSaved(false);
    setFailure(null);
    try {
      await data(api.PUT('/api/portal/{slug}/account/language', { params: { path: { slug } }, body: { language } }));
      // The session carries the language the whole portal is shown in: read it again, then say it is saved.
      await mutate(sessionKey(slug));
      onSaved();
      setSaved(true);
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught.message : t('language.error'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="language-title">
      <h2 id="language-title">{t('language.title')}</h2>
      <p className="muted small">{t('language.hint')}</p>
      <form onSubmit={save} className="language-choice">
        {failure && (
          <p className="notice error" role="alert">
            {failure}
          </p>
        )}
        <div className="field">
          <label htmlFor="field-language">{t('language.label')}</label>
          <select id="field-language" name="language" defaultValue={chosen ?? ''}>
            <option value="">{t('language.followOrganization', { name: business, language: businessLanguage })}</option>
            {LANGUAGES.map((language) => (
              <option key={language} value={language} lang={language}>
                {LANGUAGE_NAMES[language]}
              </option>
            ))}
          </select>
        </div>
        <p role="status" className={saved ? 'notice success' : 'visually-hidden'}>
          {saved ? t('language.saved') : ''}
        </p>
        <button type="submit" className="button secondary" disabled={busy}>
          {t('language.save')}
        </button>
      </form>
    </section>
  );
}
