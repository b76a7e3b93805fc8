import { define, el, fire, injectStyle } from './base.js';

export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

const TITLES: Record<DeviceKind, string> = { audioinput: 'Microphone', videoinput: 'Camera', audiooutput: 'Speaker' };
const CSS = `
arena-device-picker { display: flex; flex-wrap: wrap; gap: 8px 16px; font: 14px system-ui, sans-serif; }
arena-device-picker label { display: flex; flex-direction: column; gap: 4px; }
arena-device-picker select { min-width: 12em; }
`;

/**
 * `<arena-device-picker>`: chooses the microphone, camera and speaker (setSinkId) from enumerateDevices,
 * kept current on `devicechange`. Attribute `kinds` (e.g. "audioinput videoinput") limits what it shows; the
 * speaker choice appears only where the browser can route audio (HTMLMediaElement.setSinkId).
 * Events: `device-selected` ({kind, deviceId}), `devices-changed` ({audioinput, videoinput, audiooutput}: lists).
 * Labels stay empty until the page has had media permission: call refresh() after getUserMedia.
 */
export class ArenaDevicePicker extends HTMLElement {
  private readonly selects = new Map<DeviceKind, HTMLSelectElement>();
  private _devices: Record<DeviceKind, MediaDeviceInfo[]> = { audioinput: [], videoinput: [], audiooutput: [] };
  private readonly _selected: Partial<Record<DeviceKind, string>> = {};
  private readonly onDeviceChange = () => void this.refresh();

  connectedCallback(): void {
    injectStyle('arena-device-picker', CSS);
    if (this.selects.size === 0) this.render();
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
    void this.refresh();
  }

  disconnectedCallback(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
  }

  /** The devices last listed, by kind. */
  get devices(): Record<DeviceKind, MediaDeviceInfo[]> {
    return this._devices;
  }

  /** The chosen device id of each kind. */
  get selected(): Partial<Record<DeviceKind, string>> {
    return { ...this._selected };
  }

  /** Selects a device (without firing `device-selected`). */
  select(kind: DeviceKind, deviceId: string): void {
    this._selected[kind] = deviceId;
    const s = this.selects.get(kind);
    if (s) s.value = deviceId;
  }

  private kinds(): DeviceKind[] {
    const attr = this.getAttribute('kinds');
    let kinds: DeviceKind[] = attr
      ? (attr.split(/[\s,]+/).filter((k) => k in TITLES) as DeviceKind[])
      : ['audioinput', 'videoinput', 'audiooutput'];
    if (!('setSinkId' in HTMLMediaElement.prototype)) kinds = kinds.filter((k) => k !== 'audiooutput');
    return kinds;
  }

  private render(): void {
    for (const kind of this.kinds()) {
      const select = el('select', { name: kind, 'data-testid': `device-${kind}`, 'aria-label': TITLES[kind] });
      select.addEventListener('change', () => {
        this._selected[kind] = select.value;
        fire(this, 'device-selected', { kind, deviceId: select.value });
      });
      this.selects.set(kind, select);
      this.append(el('label', { part: kind }, TITLES[kind], select));
    }
  }

  /** Lists the devices again. */
  async refresh(): Promise<Record<DeviceKind, MediaDeviceInfo[]>> {
    if (!navigator.mediaDevices?.enumerateDevices) return this._devices;
    const all = await navigator.mediaDevices.enumerateDevices();
    const next: Record<DeviceKind, MediaDeviceInfo[]> = { audioinput: [], videoinput: [], audiooutput: [] };
    for (const d of all) if (d.kind in next) next[d.kind as DeviceKind].push(d);
    this._devices = next;
    for (const [kind, select] of this.selects) {
      const list = next[kind];
      const keep = this._selected[kind] ?? select.value;
      select.replaceChildren(
        ...list.map((d, i) => el('option', { value: d.deviceId }, d.label || `${TITLES[kind]} ${i + 1}`)),
      );
      if (list.some((d) => d.deviceId === keep)) select.value = keep;
      select.disabled = list.length === 0;
    }
    fire(this, 'devices-changed', {
      audioinput: next.audioinput.map(info),
      videoinput: next.videoinput.map(info),
      audiooutput: next.audiooutput.map(info),
    });
    return next;
  }
}

function info(d: MediaDeviceInfo): { deviceId: string; label: string; groupId: string } {
  return { deviceId: d.deviceId, label: d.label, groupId: d.groupId };
}

define('arena-device-picker', ArenaDevicePicker);
