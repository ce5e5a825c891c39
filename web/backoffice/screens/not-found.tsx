import { useI18n } from '../i18n.js';

export default function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t('app.notFound.title')}</h1>
      <p>{t('app.notFound.body')}</p>
    </section>
  );
}
