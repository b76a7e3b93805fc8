/** A small typed event emitter: `on(name, handler)` returns a function that removes the handler. */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly handlers = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(name: K, handler: (payload: Events[K]) => void): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
    }
    set.add(handler as (payload: never) => void);
    return () => this.off(name, handler);
  }

  once<K extends keyof Events>(name: K, handler: (payload: Events[K]) => void): () => void {
    const off = this.on(name, (payload) => {
      off();
      handler(payload);
    });
    return off;
  }

  off<K extends keyof Events>(name: K, handler: (payload: Events[K]) => void): void {
    this.handlers.get(name)?.delete(handler as (payload: never) => void);
  }

  protected emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.handlers.get(name);
    if (!set) return;
    for (const h of [...set]) {
      try {
        (h as (p: Events[K]) => void)(payload);
      } catch (e) {
        // A handler's bug must not break the client's state machine.
        console.error(`arena: handler of '${String(name)}' threw`, e);
      }
    }
  }
}
