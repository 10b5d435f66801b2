'use server';

import { redirect } from 'next/navigation';
import { startSession } from '../../lib/session';

/** Stands in for your real sign-in (a password check, OAuth…): here any email signs in. */
export async function signIn(form: FormData): Promise<void> {
  const email = String(form.get('email') ?? '').trim();
  if (!email) redirect('/sign-in');
  await startSession(email);
  redirect('/');
}
