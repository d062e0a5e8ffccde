/** A first-come, first-served lock: one holder at a time, the others wait their turn. */
export class Gate {
  #last: Promise<void> = Promise.resolve();

  /** Resolves once it is the caller's turn, with the function that ends it (once). */
  enter(): Promise<() => void> {
    let leave!: () => void;
    const left = new Promise<void>((resolve) => (leave = resolve));
    const turn = this.#last.then(() => leave);
    this.#last = this.#last.then(() => left);
    return turn;
  }

  /** Runs `work` in its own turn. */
  async pass<T>(work: () => Promise<T>): Promise<T> {
    const leave = await this.enter();
    try {
      return await work();
    } finally {
      leave();
    }
  }
}
