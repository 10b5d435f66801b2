import { signIn } from './actions';

export default function SignInPage() {
  return (
    <main>
      <h1>Sign in</h1>
      <form action={signIn}>
        <label>
          Email <input name="email" type="email" autoComplete="email" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
