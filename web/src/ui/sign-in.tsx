import { useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { ErrorAlert, useAction } from './action';

/** The signed-out screen: log in with username or e-mail, or create an account when registration is open. */
export function SignIn() {
  const app = useApp();
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const registrationOpen = app.settings.get('Accounts_RegistrationForm') === 'Public';
  const siteName = String(app.settings.get('Site_Name') ?? 'Orbit');

  return (
    <main class="sign-in">
      <div class="sign-in-card">
        <h1 class="brand">{siteName}</h1>
        {mode === 'login' ? (
          <LoginForm onSignUp={registrationOpen ? () => setMode('signup') : undefined} />
        ) : (
          <SignUpForm onBack={() => setMode('login')} />
        )}
      </div>
    </main>
  );
}

function LoginForm({ onSignUp }: { onSignUp: (() => void) | undefined }) {
  const app = useApp();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    void run(
      () => app.session.login(user, password),
      () => setPassword(''),
    );
  };

  return (
    <form class="stack" onSubmit={submit} aria-label="Sign in">
      <h2>Sign in</h2>
      <label>
        Username or email
        <input name="username" autoComplete="username" required value={user} onInput={(e) => setUser(e.currentTarget.value)} autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <ErrorAlert error={error} />
      <button type="submit" class="primary" disabled={busy}>
        Log in
      </button>
      {onSignUp && (
        <button type="button" class="link-button" onClick={onSignUp}>
          Create an account
        </button>
      )}
    </form>
  );
}

function SignUpForm({ onBack }: { onBack(): void }) {
  const app = useApp();
  const [form, setForm] = useState({ name: '', username: '', email: '', password: '' });
  const { error, busy, run } = useAction();
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onInput: (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value }),
  });

  const submit = (e: Event) => {
    e.preventDefault();
    void run(() => app.session.register(form));
  };

  return (
    <form class="stack" onSubmit={submit} aria-label="Create an account">
      <h2>Create an account</h2>
      <label>
        Name
        <input name="name" autoComplete="name" required {...field('name')} autoFocus />
      </label>
      <label>
        Username
        <input name="username" autoComplete="username" required {...field('username')} />
      </label>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required {...field('email')} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="new-password" required {...field('password')} />
      </label>
      <ErrorAlert error={error} />
      <button type="submit" class="primary" disabled={busy}>
        Create account
      </button>
      <button type="button" class="link-button" onClick={onBack}>
        I have an account
      </button>
    </form>
  );
}
