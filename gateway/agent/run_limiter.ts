/**
 * Admission of runs: at most `maxConcurrent` runs per agent at once (the rest
 * wait in FIFO order), and one run at a time per session so history stays in
 * order.
 *
 * @module
 */

/** A granted slot; release it exactly once. */
export type Release = () => void;

interface Waiter {
  resolve: (release: Release) => void;
  reject: (reason: unknown) => void;
}

/** A FIFO counting semaphore keyed by name. */
class KeyedSemaphore {
  readonly #active = new Map<string, number>();
  readonly #queues = new Map<string, Waiter[]>();

  acquire(key: string, limit: number, signal: AbortSignal): Promise<Release> {
    signal.throwIfAborted();
    if ((this.#active.get(key) ?? 0) < limit) {
      return Promise.resolve(this.#grant(key, limit));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      const queue = this.#queues.get(key) ?? [];
      queue.push(waiter);
      this.#queues.set(key, queue);
      signal.addEventListener("abort", () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        if (queue.length === 0) this.#queues.delete(key);
        reject(signal.reason);
      }, { once: true });
    });
  }

  #grant(key: string, limit: number): Release {
    this.#active.set(key, (this.#active.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#active.get(key) ?? 1) - 1;
      if (left > 0) this.#active.set(key, left);
      else this.#active.delete(key);
      const queue = this.#queues.get(key);
      const next = queue?.shift();
      if (queue?.length === 0) this.#queues.delete(key);
      next?.resolve(this.#grant(key, limit));
    };
  }
}

/** Per-agent and per-session admission for the run service. */
export class RunLimiter {
  readonly #agents = new KeyedSemaphore();
  readonly #sessions = new KeyedSemaphore();

  /**
   * Waits for a session turn, then for an agent slot.
   *
   * @throws the signal's reason when aborted while waiting
   */
  async acquire(
    run: { agentId: string; sessionKey: string; maxConcurrent: number },
    signal: AbortSignal,
  ): Promise<Release> {
    const session = await this.#sessions.acquire(run.sessionKey, 1, signal);
    try {
      const agent = await this.#agents.acquire(
        run.agentId,
        run.maxConcurrent,
        signal,
      );
      return () => {
        agent();
        session();
      };
    } catch (error) {
      session();
      throw error;
    }
  }
}
