import { define, el, fire, injectStyle } from './base.js';

/** Where one tile goes, in CSS pixels relative to the grid's top-left corner. */
export interface TileBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GridLayout {
  columns: number;
  rows: number;
  boxes: TileBox[];
}

/**
 * Chooses the number of columns (rows follow) that gives the tiles the most area in a width x height
 * container, each tile keeping its own aspect ratio (width / height) inside an equal cell. The grid is
 * then shrunk to what the tiles use and centred, and a last row that is not full is centred too.
 */
export function computeGridLayout(width: number, height: number, aspects: number[], gap = 8): GridLayout {
  const n = aspects.length;
  if (n === 0 || width <= 0 || height <= 0) return { columns: 0, rows: 0, boxes: [] };
  let best: { cols: number; rows: number; cellW: number; cellH: number; area: number } | null = null;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const cellW = (width - gap * (cols - 1)) / cols;
    const cellH = (height - gap * (rows - 1)) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    let area = 0;
    for (const a of aspects) {
      const w = Math.min(cellW, cellH * a);
      area += w * (w / a);
    }
    // Ties go to fewer columns only when strictly better: more columns first would give 1xN strips.
    if (!best || area > best.area * (1 + 1e-9)) best = { cols, rows, cellW, cellH, area };
  }
  if (!best) return { columns: 0, rows: 0, boxes: [] };
  const fitted = aspects.map((a) => {
    const w = Math.min(best!.cellW, best!.cellH * a);
    return { w, h: w / a };
  });
  const usedW = Math.max(...fitted.map((f) => f.w));
  const usedH = Math.max(...fitted.map((f) => f.h));
  const blockH = best.rows * usedH + gap * (best.rows - 1);
  const top = (height - blockH) / 2;
  const boxes: TileBox[] = fitted.map((f, i) => {
    const row = Math.floor(i / best!.cols);
    const col = i % best!.cols;
    const inRow = Math.min(best!.cols, n - row * best!.cols);
    const rowW = inRow * usedW + gap * (inRow - 1);
    const left = (width - rowW) / 2;
    return {
      x: left + col * (usedW + gap) + (usedW - f.w) / 2,
      y: top + row * (usedH + gap) + (usedH - f.h) / 2,
      width: f.w,
      height: f.h,
    };
  });
  return { columns: best.cols, rows: best.rows, boxes };
}

export interface TileOptions {
  /** The name shown on the tile. */
  label?: string;
  /** Mute the element (a local preview must be muted, or you hear yourself). */
  muted?: boolean;
  /** Mirror the video (a local camera preview). */
  mirror?: boolean;
}

interface Tile {
  id: string;
  root: HTMLDivElement;
  video: HTMLVideoElement;
  label: HTMLSpanElement;
  stream: MediaStream | null;
  aspect: number | null;
}

const CSS = `
arena-video-grid { display: block; position: relative; width: 100%; height: 60vh; min-height: 120px; overflow: hidden; }
arena-video-grid .arena-tile { position: absolute; box-sizing: border-box; background: #1b1d22; border-radius: 8px;
  overflow: hidden; transition: left .2s, top .2s, width .2s, height .2s; outline: 0 solid #3fb950; }
arena-video-grid .arena-tile.speaking { outline-width: 3px; }
arena-video-grid .arena-tile video { width: 100%; height: 100%; object-fit: cover; display: block; background: #000; }
arena-video-grid .arena-tile.mirror video { transform: scaleX(-1); }
arena-video-grid .arena-tile.no-video video { visibility: hidden; }
arena-video-grid .arena-tile .arena-tile-label { position: absolute; left: 8px; bottom: 8px; padding: 2px 8px;
  border-radius: 4px; background: rgba(0,0,0,.6); color: #fff; font: 13px system-ui, sans-serif; }
arena-video-grid .arena-tile.no-video .arena-tile-label { left: 50%; top: 50%; bottom: auto;
  transform: translate(-50%, -50%); font-size: 18px; }
`;

/**
 * `<arena-video-grid>`: tiles of MediaStreams (any, not only Arena's) with labels, laid out to give the
 * videos the most area, again when the element or a video changes size. Attributes: `gap` (px, default 8),
 * `aspect` (the aspect of a tile before its video is known, default 16/9).
 * Events: `layout` ({columns, rows, tiles}).
 */
export class ArenaVideoGrid extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['gap', 'aspect'];
  }

  private readonly tiles = new Map<string, Tile>();
  private resizeObserver: ResizeObserver | null = null;
  private scheduled = false;
  private _layout: GridLayout = { columns: 0, rows: 0, boxes: [] };
  private _sinkId = '';

  connectedCallback(): void {
    injectStyle('arena-video-grid', CSS);
    if (!this.resizeObserver && typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.scheduleLayout());
    }
    this.resizeObserver?.observe(this);
    this.scheduleLayout();
  }

  disconnectedCallback(): void {
    this.resizeObserver?.disconnect();
  }

  attributeChangedCallback(): void {
    this.scheduleLayout();
  }

  /** Adds or updates a tile. */
  setTile(id: string, stream: MediaStream | null, options: TileOptions = {}): void {
    let tile = this.tiles.get(id);
    if (!tile) {
      const video = el('video', { playsinline: '', autoplay: '' });
      video.autoplay = true;
      video.playsInline = true;
      const label = el('span', { class: 'arena-tile-label', 'data-testid': 'tile-label' });
      const root = el('div', { class: 'arena-tile', 'data-id': id, 'data-testid': 'tile', part: 'tile' }, video, label);
      tile = { id, root, video, label, stream: null, aspect: null };
      const t = tile;
      const onSize = () => {
        const a = video.videoWidth > 0 && video.videoHeight > 0 ? video.videoWidth / video.videoHeight : null;
        if (a !== t.aspect) {
          t.aspect = a;
          this.scheduleLayout();
        }
        this.updateVideoFlag(t);
      };
      video.addEventListener('loadedmetadata', onSize);
      video.addEventListener('resize', onSize);
      this.tiles.set(id, tile);
      this.appendChild(root);
      if (this._sinkId) applySink(video, this._sinkId);
    }
    if (options.label !== undefined) tile.label.textContent = options.label;
    if (options.muted !== undefined) tile.video.muted = options.muted;
    if (options.mirror !== undefined) tile.root.classList.toggle('mirror', options.mirror);
    if (tile.stream !== stream) {
      tile.stream = stream;
      tile.video.srcObject = stream;
      if (!stream) tile.aspect = null;
      if (stream) {
        tile.video.play().catch(() => {
          /* autoplay refused: it plays on the next user gesture */
        });
      }
    }
    this.updateVideoFlag(tile);
    this.scheduleLayout();
  }

  removeTile(id: string): void {
    const tile = this.tiles.get(id);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.root.remove();
    this.tiles.delete(id);
    this.scheduleLayout();
  }

  clear(): void {
    for (const id of [...this.tiles.keys()]) this.removeTile(id);
  }

  hasTile(id: string): boolean {
    return this.tiles.has(id);
  }

  get tileIds(): string[] {
    return [...this.tiles.keys()];
  }

  setLabel(id: string, label: string): void {
    const tile = this.tiles.get(id);
    if (tile) tile.label.textContent = label;
  }

  /** Highlights the tiles of these ids (e.g. the active speakers). */
  setSpeaking(ids: string[]): void {
    const set = new Set(ids);
    for (const t of this.tiles.values()) t.root.classList.toggle('speaking', set.has(t.id));
  }

  /** The audio output device of every tile (HTMLMediaElement.setSinkId, where the browser has it). */
  get sinkId(): string {
    return this._sinkId;
  }

  set sinkId(id: string) {
    this._sinkId = id;
    for (const t of this.tiles.values()) applySink(t.video, id);
  }

  /** The last layout: columns, rows and each tile's box, in the order of {@link tileIds}. */
  get layout(): GridLayout {
    return this._layout;
  }

  /** Lays out now (normally done on the next animation frame after a change). */
  relayout(): GridLayout {
    this.scheduled = false;
    const gap = Number(this.getAttribute('gap') ?? 8) || 0;
    const fallback = parseAspect(this.getAttribute('aspect')) ?? 16 / 9;
    const tiles = [...this.tiles.values()];
    for (const t of tiles) {
      const v = t.video;
      if (v.videoWidth > 0 && v.videoHeight > 0) t.aspect = v.videoWidth / v.videoHeight;
    }
    const aspects = tiles.map((t) => t.aspect ?? fallback);
    const layout = computeGridLayout(this.clientWidth, this.clientHeight, aspects, gap);
    tiles.forEach((t, i) => {
      const b = layout.boxes[i];
      if (!b) return;
      const s = t.root.style;
      s.left = `${b.x}px`;
      s.top = `${b.y}px`;
      s.width = `${b.width}px`;
      s.height = `${b.height}px`;
    });
    this._layout = layout;
    this.dataset.columns = String(layout.columns);
    this.dataset.rows = String(layout.rows);
    fire(this, 'layout', { columns: layout.columns, rows: layout.rows, tiles: tiles.map((t) => t.id) });
    return layout;
  }

  private scheduleLayout(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.relayout());
    // Hidden pages get no animation frames: lay out anyway.
    setTimeout(() => {
      if (this.scheduled) this.relayout();
    }, 100);
  }

  private updateVideoFlag(tile: Tile): void {
    const hasVideo = !!tile.stream && tile.stream.getVideoTracks().some((t) => t.readyState === 'live');
    tile.root.classList.toggle('no-video', !hasVideo);
  }
}

function parseAspect(v: string | null): number | null {
  if (!v) return null;
  const m = /^\s*([\d.]+)\s*(?:[/:]\s*([\d.]+))?\s*$/.exec(v);
  if (!m) return null;
  const a = m[2] ? Number(m[1]) / Number(m[2]) : Number(m[1]);
  return Number.isFinite(a) && a > 0 ? a : null;
}

function applySink(video: HTMLVideoElement, id: string): void {
  const v = video as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> };
  v.setSinkId?.(id).catch(() => {
    /* unknown device or not allowed */
  });
}

define('arena-video-grid', ArenaVideoGrid);
