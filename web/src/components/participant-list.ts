import { define, el, fire, injectStyle } from './base.js';

export interface ParticipantEntry {
  identity: string;
  name: string;
  role: 'host' | 'speaker' | 'listener' | string;
  handRaised?: boolean;
  speaking?: boolean;
  /** This page's own participant (no buttons on it). */
  self?: boolean;
}

const CSS = `
arena-participant-list { display: block; font: 14px system-ui, sans-serif; }
arena-participant-list h4 { margin: 8px 0 4px; font-size: 13px; text-transform: uppercase; opacity: .7; }
arena-participant-list ul { margin: 0; padding: 0; list-style: none; }
arena-participant-list li { display: flex; align-items: center; gap: 6px; padding: 2px 0; }
arena-participant-list li .name { flex: 1; }
arena-participant-list li .role { font-size: 12px; opacity: .7; }
arena-participant-list li.speaking .name { color: #3fb950; }
`;

/**
 * `<arena-participant-list>`: who is on stage (hosts, speakers) and in the audience, with raised hands.
 * With `canManage` (a host), each other participant has buttons: "Move to audience" for a speaker
 * (`participant-demote`), "Invite to stage" for a listener (`participant-promote`) and "Remove"
 * (`participant-remove`), each with detail {identity}. Attribute `max` caps the rows shown (default 200).
 */
export class ArenaParticipantList extends HTMLElement {
  private _participants: ParticipantEntry[] = [];
  private _canManage = false;

  connectedCallback(): void {
    injectStyle('arena-participant-list', CSS);
    this.render();
  }

  get participants(): ParticipantEntry[] {
    return this._participants;
  }

  set participants(v: ParticipantEntry[]) {
    this._participants = [...v];
    this.render();
  }

  get canManage(): boolean {
    return this._canManage;
  }

  set canManage(v: boolean) {
    this._canManage = v;
    this.render();
  }

  private render(): void {
    if (!this.isConnected) return;
    const stage = this._participants.filter((p) => p.role !== 'listener');
    const audience = this._participants.filter((p) => p.role === 'listener');
    this.replaceChildren(
      el('h4', {}, `On stage (${stage.length})`),
      this.list(stage, 'stage'),
      el('h4', {}, `Audience (${audience.length})`),
      this.list(audience, 'audience'),
    );
  }

  private list(entries: ParticipantEntry[], testid: string): HTMLUListElement {
    const max = Number(this.getAttribute('max') ?? 200) || 200;
    const ul = el('ul', { 'data-testid': `participants-${testid}` });
    for (const p of entries.slice(0, max)) {
      const li = el(
        'li',
        { 'data-identity': p.identity, 'data-role': p.role, class: p.speaking ? 'speaking' : undefined },
        el('span', { class: 'name' }, (p.handRaised ? '\u270b ' : '') + (p.name || p.identity) + (p.self ? ' (you)' : '')),
        el('span', { class: 'role' }, p.role),
      );
      if (this._canManage && !p.self) {
        if (p.role === 'speaker') li.append(this.button('demote', 'Move to audience', p.identity));
        if (p.role === 'listener') li.append(this.button('promote', 'Invite to stage', p.identity));
        li.append(this.button('remove', 'Remove', p.identity));
      }
      ul.append(li);
    }
    if (entries.length > max) ul.append(el('li', { class: 'more' }, `and ${entries.length - max} more`));
    return ul;
  }

  private button(action: string, text: string, identity: string): HTMLButtonElement {
    const b = el('button', { type: 'button', 'data-action': action, 'data-testid': `${action}-${identity}` }, text);
    b.addEventListener('click', () => fire(this, `participant-${action}`, { identity }));
    return b;
  }
}

define('arena-participant-list', ArenaParticipantList);
