import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeResponse } from '../../../server/contracts/index.ts';
import { HttpError } from '../lib/http.ts';
import { login, meKey, signInWithToken, tokenInUrl, wallQueryClient } from './api.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { setLanguage } from './i18n.ts';

/**
 * Sign-in for the kiosk: with a wall-display token (from the address's #token=…, at once, or typed),
 * or with the `wall` account's password. The session lives in an httpOnly cookie, never in the URL;
 * the token stays in the fragment so the wall signs itself in again when its session ends.
 */
export function LoginForm() {
  const { t } = useTranslation();
  const [urlToken] = useState(tokenInUrl);
  const [mode, setMode] = useState<'token' | 'password'>(urlToken ? 'token' : 'password');
  const [username, setUsername] = useState('wall');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const signIn = async (attempt: () => Promise<MeResponse>, invalidKey: string) => {
    setPending(true);
    setError(null);
    try {
      const { user } = await attempt();
      wallQueryClient.setQueryData(meKey, user);
    } catch (failure) {
      setError(
        failure instanceof HttpError && (failure.status === 401 || failure.code === 'validation_failed')
          ? t(invalidKey)
          : t('auth.failed', { message: failure instanceof Error ? failure.message : String(failure) }),
      );
    } finally {
      setPending(false);
    }
  };

  // A token in the address signs in once, as soon as the page opens.
  const triedUrlToken = useRef(false);
  useEffect(() => {
    if (!urlToken || triedUrlToken.current) return;
    triedUrlToken.current = true;
    void signIn(() => signInWithToken(urlToken), 'token.invalid');
  }, [urlToken]); // eslint-disable-line react-hooks/exhaustive-deps -- once per page

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'token') {
      void signIn(() => signInWithToken(token.trim()), 'token.invalid').finally(() => setToken(''));
    } else {
      void signIn(() => login(username.trim(), password), 'auth.invalid').finally(() => setPassword(''));
    }
  };

  return (
    <div className="wall-login">
      <div className="wall-login-lang">
        <LanguageSwitch setLanguage={setLanguage} className="wall-lang" testIdPrefix="wall-lang" />
      </div>
      <form className="wall-login-card" onSubmit={onSubmit} data-testid="wall-login">
        <h1>{t('auth.title')}</h1>
        {mode === 'password' ? (
          <>
            <label>
              <span>{t('auth.username')}</span>
              <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
            </label>
            <label>
              <span>{t('auth.password')}</span>
              <input name="password" type="password" autoComplete="current-password" required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          </>
        ) : (
          <label>
            <span>{t('token.label')}</span>
            <input name="token" type="password" autoComplete="off" required={!urlToken} autoFocus value={token} onChange={(e) => setToken(e.target.value)} data-testid="wall-token-input" />
          </label>
        )}
        {error ? (
          <p className="wall-login-error" role="alert" data-testid="wall-login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending || (mode === 'token' && !token.trim())}>
          {pending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
        <button
          type="button"
          className="wall-login-switch"
          onClick={() => {
            setMode(mode === 'token' ? 'password' : 'token');
            setError(null);
          }}
          data-testid="wall-login-mode"
        >
          {mode === 'token' ? t('token.usePassword') : t('token.useToken')}
        </button>
        <p className="wall-hint">{mode === 'token' ? t('token.hint') : t('auth.hint')}</p>
      </form>
    </div>
  );
}
