/**
 * The users forgotten since each request in progress began, so that `forgetToken` reaches a request that started
 * before it: a request whose user was forgotten meanwhile may come from the session that just ended (its
 * `getUserEmail` read the session before the sign-out), so its token must be neither stored nor shared, or the next
 * sign-in would get it back.
 *
 * A request is followed from before it reads the session until it has its answer; the memory is one small set per
 * request in progress, emptied when it ends.
 */
export class ForgottenSince {
  readonly #inProgress = new Set<Set<string>>();

  /**
   * Follows a request while `work` answers it: `work` gets the emails forgotten from now on, filled in as they are.
   *
   * @returns what `work` returns (or rejects with), once the request is no longer followed
   */
  async follow<T>(work: (forgotten: ReadonlySet<string>) => Promise<T>): Promise<T> {
    const forgotten = new Set<string>();
    this.#inProgress.add(forgotten);
    try {
      return await work(forgotten);
    } finally {
      this.#inProgress.delete(forgotten);
    }
  }

  /** Tells every request in progress that `email` was forgotten. */
  forget(email: string): void {
    for (const forgotten of this.#inProgress) forgotten.add(email);
  }
}
