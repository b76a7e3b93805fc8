import { define, el, fire, injectStyle } from './base.js';

export interface ChatEntry {
  from: string;
  name: string;
  text: string;
  /** ms since the epoch */
  ts: number;
  /** Sent by this page's user. */
  self?: boolean;
}

const CSS = `
arena-chat { display: flex; flex-direction: column; gap: 8px; font: 14px system-ui, sans-serif; min-height: 10em; }
arena-chat .arena-chat-log { flex: 1; overflow-y: auto; margin: 0; padding: 0; list-style: none; max-height: 40vh; }
arena-chat .arena-chat-log li { padding: 2px 0; overflow-wrap: anywhere; }
arena-chat .arena-chat-log .who { font-weight: 600; margin-right: .4em; }
arena-chat .arena-chat-log li.self .who { color: #58a6ff; }
arena-chat .arena-chat-log time { opacity: .6; font-size: 12px; margin-right: .4em; }
arena-chat form { display: flex; gap: 6px; }
arena-chat input { flex: 1; min-width: 0; }
`;

/**
 * `<arena-chat>`: a message log and a box to write in. Feed it with addMessage(); it fires `chat-send`
 * ({text}) when the user sends. Attribute `max` caps the log (default 500 messages); `disabled` turns the box off.
 */
export class ArenaChat extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['disabled'];
  }

  private log!: HTMLUListElement;
  private input!: HTMLInputElement;
  private button!: HTMLButtonElement;

  connectedCallback(): void {
    injectStyle('arena-chat', CSS);
    if (this.log) return;
    this.log = el('ul', { class: 'arena-chat-log', 'data-testid': 'chat-log', 'aria-live': 'polite' });
    this.input = el('input', { type: 'text', maxlength: '4096', placeholder: 'Say something', 'data-testid': 'chat-input' });
    this.button = el('button', { type: 'submit', 'data-testid': 'chat-send' }, 'Send');
    const form = el('form', {}, this.input, this.button);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = '';
      fire(this, 'chat-send', { text });
    });
    this.append(this.log, form);
    this.attributeChangedCallback();
  }

  attributeChangedCallback(): void {
    if (!this.input) return;
    const off = this.hasAttribute('disabled');
    this.input.disabled = off;
    this.button.disabled = off;
  }

  addMessage(m: ChatEntry): void {
    if (!this.log) this.connectedCallback();
    const time = new Date(m.ts || Date.now());
    const li = el(
      'li',
      { class: m.self ? 'self' : undefined, 'data-from': m.from },
      el('time', { datetime: time.toISOString() }, time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
      el('span', { class: 'who' }, m.name || m.from),
      el('span', { class: 'text' }, m.text),
    );
    const atBottom = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 4;
    this.log.append(li);
    const max = Number(this.getAttribute('max') ?? 500) || 500;
    while (this.log.childElementCount > max) this.log.firstElementChild?.remove();
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  clear(): void {
    this.log?.replaceChildren();
  }
}

define('arena-chat', ArenaChat);
