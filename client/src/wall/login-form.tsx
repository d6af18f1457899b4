import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HttpError } from '../lib/http.ts';
import { login, meKey, wallQueryClient } from './api.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { setLanguage } from './i18n.ts';

/** Sign-in for the kiosk: the session lives in an httpOnly cookie, never in the URL. */
export function LoginForm() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('wall');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const { user } = await login(username.trim(), password);
      wallQueryClient.setQueryData(meKey, user);
    } catch (failure) {
      setError(
        failure instanceof HttpError && (failure.status === 401 || failure.code === 'validation_failed')
          ? t('auth.invalid')
          : t('auth.failed', { message: failure instanceof Error ? failure.message : String(failure) }),
      );
    } finally {
      setPending(false);
      setPassword('');
    }
  };

  return (
    <div className="wall-login">
      <div className="wall-login-lang">
        <LanguageSwitch setLanguage={setLanguage} className="wall-lang" testIdPrefix="wall-lang" />
      </div>
      <form className="wall-login-card" onSubmit={onSubmit} data-testid="wall-login">
        <h1>{t('auth.title')}</h1>
        <label>
          <span>{t('auth.username')}</span>
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          <span>{t('auth.password')}</span>
          <input name="password" type="password" autoComplete="current-password" required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error ? (
          <p className="wall-login-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
        <p className="wall-hint">{t('auth.hint')}</p>
      </form>
    </div>
  );
}
