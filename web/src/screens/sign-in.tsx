import { useState, type FormEvent } from 'react';
import { LanguageSwitch } from '../app';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session';

export function SignInScreen() {
  const { t } = useI18n();
  const { signIn, signedOutReason } = useSession();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setInvalid(false);
    const ok = await signIn(key.trim());
    setBusy(false);
    if (!ok) setInvalid(true);
  };
  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="signin-head">
          <h1 id="signin-title">
            {t('app.name')} · {t('signin.title')}
          </h1>
          <LanguageSwitch />
        </div>
        {signedOutReason === 'expired' && !invalid && (
          <p className="notice notice-warn" role="alert" data-testid="signin-message">
            {t('signin.expired')}
          </p>
        )}
        {invalid && (
          <p className="notice notice-error" role="alert" data-testid="signin-message">
            {t('signin.invalid')}
          </p>
        )}
        <p>{t('signin.intro')}</p>
        <label className="field">
          <span className="field-label">{t('signin.key')}</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            value={key}
            onChange={(e) => setKey(e.target.value)}
            name="apiKey"
            data-testid="api-key"
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || !key.trim()}>
          {t('signin.submit')}
        </button>
      </form>
    </main>
  );
}
