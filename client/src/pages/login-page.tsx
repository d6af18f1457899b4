import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useLogin } from '../features/auth/api.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { HttpError } from '../lib/http.ts';
import { setLanguage } from '../lib/i18n.ts';

/** Minutes until a locked account or address may try again (the server says, in seconds). */
function retryMinutes(error: HttpError): number {
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? Math.max(1, Math.ceil(seconds / 60)) : 15;
}

function loginErrorMessage(error: Error, t: TFunction): string {
  if (error instanceof HttpError) {
    if (error.code === 'account_locked') return t('auth.locked', { minutes: retryMinutes(error) });
    if (error.code === 'rate_limited') return t('auth.rateLimited', { minutes: retryMinutes(error) });
    if (error.status === 401 || error.code === 'unauthenticated' || error.code === 'validation_failed') return t('auth.invalid');
  }
  return t('auth.failed', { message: error.message });
}

export function LoginPage() {
  const { t } = useTranslation();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username: username.trim(), password });
  };
  const message = login.error === null ? null : loginErrorMessage(login.error, t);

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch setLanguage={setLanguage} />
      </div>
      <form className="login-card" onSubmit={onSubmit} aria-labelledby="login-title" data-testid="login-form">
        <div className="brand brand-login">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <h1 id="login-title">{t('app.title')}</h1>
            <div className="brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        <p className="muted">{t('auth.welcome')}</p>
        <label className="field">
          <span>{t('auth.username')}</span>
          <input name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('auth.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {message ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={login.isPending}>
          {login.isPending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
        <p className="hint">{t('auth.demoHint')}</p>
      </form>
    </div>
  );
}
