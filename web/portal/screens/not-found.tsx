import { Link } from 'react-router';
import { useI18n } from '../../ui/i18n.js';

export default function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t('app.notFound.title')}</h1>
      <p>{t('app.notFound.body')}</p>
      <p>
        <Link to="/">{t('nav.home')}</Link>
      </p>
    </section>
  );
}
