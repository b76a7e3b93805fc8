import { define, el, fire, injectStyle } from './base.js';

export interface HandEntry {
  identity: string;
  name: string;
}

const CSS = `
arena-raise-hand { display: block; font: 14px system-ui, sans-serif; }
arena-raise-hand ol { margin: 0; padding-left: 1.4em; }
arena-raise-hand li { display: flex; align-items: center; gap: 6px; padding: 2px 0; }
arena-raise-hand li .name { flex: 1; }
arena-raise-hand button.raised { background: #d29922; }
`;

/**
 * `<arena-raise-hand>`: for a listener, a button that raises and lowers the hand (`hand-raise`,
 * `hand-lower`); for a host (`mode="host"`), the queue of raised hands, oldest first, with Approve
 * (`hand-approve` {identity}) and Deny (`hand-deny` {identity}). Properties: mode ('listener' | 'host' |
 * 'none'), raised, hands.
 */
export class ArenaRaiseHand extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['mode'];
  }

  private _raised = false;
  private _hands: HandEntry[] = [];

  connectedCallback(): void {
    injectStyle('arena-raise-hand', CSS);
    this.render();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.render();
  }

  get mode(): 'listener' | 'host' | 'none' {
    const m = this.getAttribute('mode');
    return m === 'host' || m === 'none' ? m : 'listener';
  }

  set mode(m: 'listener' | 'host' | 'none') {
    this.setAttribute('mode', m);
  }

  get raised(): boolean {
    return this._raised;
  }

  set raised(v: boolean) {
    this._raised = v;
    this.render();
  }

  get hands(): HandEntry[] {
    return this._hands;
  }

  set hands(v: HandEntry[]) {
    this._hands = [...v];
    this.render();
  }

  private render(): void {
    if (!this.isConnected) return;
    if (this.mode === 'none') {
      this.replaceChildren();
      return;
    }
    if (this.mode === 'listener') {
      const b = el(
        'button',
        { type: 'button', 'data-testid': 'raise-hand', class: this._raised ? 'raised' : undefined, 'aria-pressed': String(this._raised) },
        this._raised ? 'Lower hand' : 'Raise hand',
      );
      b.addEventListener('click', () => fire(this, this._raised ? 'hand-lower' : 'hand-raise', {}));
      this.replaceChildren(b);
      return;
    }
    if (this._hands.length === 0) {
      this.replaceChildren(el('p', { class: 'empty', 'data-testid': 'hands-empty' }, 'No raised hands'));
      return;
    }
    const list = el('ol', { 'data-testid': 'hand-queue' });
    for (const h of this._hands) {
      const approve = el('button', { type: 'button', 'data-action': 'approve', 'data-testid': `approve-${h.identity}` }, 'Approve');
      const deny = el('button', { type: 'button', 'data-action': 'deny', 'data-testid': `deny-${h.identity}` }, 'Deny');
      approve.addEventListener('click', () => fire(this, 'hand-approve', { identity: h.identity }));
      deny.addEventListener('click', () => fire(this, 'hand-deny', { identity: h.identity }));
      list.append(el('li', { 'data-identity': h.identity }, el('span', { class: 'name' }, h.name || h.identity), approve, deny));
    }
    this.replaceChildren(list);
  }
}

define('arena-raise-hand', ArenaRaiseHand);
