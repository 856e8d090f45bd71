/**
 * Switching the tfjs backend (backend override, gradient self-test) changes
 * where every new tensor lives, so it must not happen while a model loads,
 * trains or generates. The gate lets ordinary commands run side by side and
 * makes the backend-switching ones wait until nothing else is in flight
 * (and holds new commands back while they run).
 */
export class RunGate {
  private inFlight = new Map<number, string>();
  private nextId = 1;
  private exclusive: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];

  /** Labels of the commands now in flight. */
  busyWith(): string[] {
    return [...this.inFlight.values()];
  }

  async shared<T>(label: string, fn: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    const id = this.nextId++;
    this.inFlight.set(id, label);
    try {
      return await fn();
    } finally {
      this.inFlight.delete(id);
      if (this.inFlight.size === 0) {
        for (const wake of this.idleWaiters.splice(0)) wake();
      }
    }
  }

  /** Waits for in-flight commands (calling onWait once if it has to), then runs fn alone. */
  async exclusively<T>(fn: () => Promise<T>, onWait?: (busyWith: string[]) => void): Promise<T> {
    while (this.exclusive) await this.exclusive;
    if (this.inFlight.size > 0) {
      onWait?.(this.busyWith());
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      while (this.exclusive) await this.exclusive;
    }
    let release!: () => void;
    this.exclusive = new Promise<void>((r) => {
      release = r;
    });
    try {
      return await fn();
    } finally {
      this.exclusive = null;
      release();
    }
  }
}
