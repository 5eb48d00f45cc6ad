import type { ReactNode } from 'react';
import { Loading } from './components/states';
import type { Lang } from './format';
import { useI18n } from './i18n/i18n';
import type { MessageKey } from './i18n/messages';
import { Link, useRouter } from './router';
import { CustomerScreen } from './screens/customer';
import { CustomersScreen } from './screens/customers';
import { DunningScreen } from './screens/dunning';
import { OverviewScreen } from './screens/overview';
import { ReconciliationScreen } from './screens/reconciliation';
import { SettingsScreen } from './screens/settings';
import { SignInScreen } from './screens/sign-in';
import { useSession } from './session';

const NAV: Array<{ to: string; label: MessageKey; adminOnly?: boolean }> = [
  { to: '/', label: 'nav.overview' },
  { to: '/customers', label: 'nav.customers' },
  { to: '/dunning', label: 'nav.dunning' },
  { to: '/reconciliation', label: 'nav.reconciliation' },
  { to: '/settings', label: 'nav.settings', adminOnly: true },
];

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang-switch">
      <span>{t('lang.label')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} data-testid="lang-switch">
        <option value="fr">Français</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function route(path: string): { screen: ReactNode; section: string } {
  const customer = /^\/customers\/([0-9a-f-]{36})$/.exec(path);
  if (customer) return { screen: <CustomerScreen id={customer[1]} />, section: '/customers' };
  switch (path) {
    case '/customers':
      return { screen: <CustomersScreen />, section: '/customers' };
    case '/dunning':
      return { screen: <DunningScreen />, section: '/dunning' };
    case '/reconciliation':
      return { screen: <ReconciliationScreen />, section: '/reconciliation' };
    case '/settings':
      return { screen: <SettingsScreen />, section: '/settings' };
    default:
      return { screen: <OverviewScreen />, section: '/' };
  }
}

export function App() {
  const { me, checking, signOut, can } = useSession();
  const { t } = useI18n();
  const { loc } = useRouter();
  if (checking) return <Loading />;
  if (!me) return <SignInScreen />;
  const { screen, section } = route(loc.path);
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.main')} className="nav">
          {NAV.filter((n) => !n.adminOnly || can('configure')).map((n) => (
            <Link key={n.to} to={n.to} className="nav-link" current={section === n.to}>
              {t(n.label)}
            </Link>
          ))}
        </nav>
        <div className="topbar-right">
          <span className="who" data-testid="who">
            {me.tenant.name} · <span className="role-badge">{t(`role.${me.role}` as MessageKey)}</span>
          </span>
          <LanguageSwitch />
          <button type="button" className="btn btn-ghost" onClick={signOut}>
            {t('signin.signout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="content">
        {screen}
      </main>
    </div>
  );
}
