import { Emitter } from './emitter.js';
import {
  TOKEN_ERRORS,
  type AnswerMessage,
  type JoinedMessage,
  type MidInfo,
  type ParticipantInfo,
  type Role,
  type RoomInfo,
  type ServerMessage,
  type TrackKind,
  type TrackSource,
} from './protocol.js';
import {
  ArenaError,
  type ArenaClientOptions,
  type ArenaEvents,
  type ConnectionState,
  type InboundStats,
  type LocalParticipant,
  type LocalTrack,
  type OutboundStats,
  type Participant,
  type PublishOptions,
  type SubscribedTrack,
} from './types.js';

export type {
  ArenaClientOptions,
  ArenaEvents,
  ChatMessage,
  ConnectionState,
  InboundStats,
  LocalParticipant,
  LocalTrack,
  OutboundStats,
  Participant,
  PublishOptions,
  SubscribedTrack,
} from './types.js';

interface Pending {
  type: string;
  resolve: (m: ServerMessage) => void;
  reject: (e: ArenaError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface LocalEntry extends LocalTrack {
  transceiver?: RTCRtpTransceiver;
}

const SOURCE_OF_KIND: Record<TrackKind, TrackSource> = { audio: 'microphone', video: 'camera' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A participant of an Arena room: one WebSocket for signaling and one RTCPeerConnection for media, as
 * docs/protocol.md describes. The client always makes the offers, one at a time; it resumes after a lost
 * WebSocket and restarts ICE.
 *
 * ```js
 * const client = new ArenaClient();
 * client.on('trackSubscribed', ({ stream, participant, kind }) => { ... });
 * await client.connect('wss://arena.example/ws', token);
 * await client.publish({ audio: true, video: true });   // a host or speaker
 * ```
 */
export class ArenaClient extends Emitter<ArenaEvents> {
  private readonly options: Required<Omit<ArenaClientOptions, 'rtcConfiguration' | 'reconnect'>> & {
    rtcConfiguration: RTCConfiguration;
    reconnect: { enabled: boolean; baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  };
  private ws: WebSocket | null = null;
  private pc: RTCPeerConnection | null = null;
  private wsUrl = '';
  private token = '';
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private pingTimer: ReturnType<typeof setInterval> | null = null;

  private _state: ConnectionState = 'idle';
  private _room: RoomInfo | null = null;
  private _you: LocalParticipant | null = null;
  private readonly _participants = new Map<string, Participant>();
  private _hands: string[] = [];
  private _activeSpeakers: string[] = [];
  private resumeToken: string | null = null;
  private resumeWindowMs = 20000;
  private socketLostAt = 0;
  private finished = false;

  /** mid -> subscription */
  private readonly subscriptions = new Map<string, SubscribedTrack>();
  private readonly local = new Map<TrackSource, LocalEntry>();
  /** Send transceivers that carry nothing now (unpublished or refused), reused by the next publish. */
  private readonly spareSenders: RTCRtpTransceiver[] = [];
  private readonly recvWanted = { audio: 0, video: 0 };
  /** Callers waiting for the next offer's answer. */
  private waiters: { resolve: () => void; reject: (e: ArenaError) => void }[] = [];
  private negotiating = false;
  private iceRestartWanted = false;
  private readonly preferredDevices: { audioinput?: string; videoinput?: string } = {};
  /** A stream of the local tracks, for a preview. */
  readonly localStream = new MediaStream();

  constructor(options: ArenaClientOptions = {}) {
    super();
    this.options = {
      rtcConfiguration: { iceServers: [], bundlePolicy: 'max-bundle', ...(options.rtcConfiguration ?? {}) },
      publishOnPromotion: options.publishOnPromotion ?? { audio: true, video: true },
      reconnect: { enabled: true, baseDelayMs: 250, maxDelayMs: 4000, maxAttempts: 20, ...(options.reconnect ?? {}) },
      requestTimeoutMs: options.requestTimeoutMs ?? 15000,
      debug: options.debug ?? false,
    };
  }

  // ---- state -------------------------------------------------------------------------------------------

  get state(): ConnectionState {
    return this._state;
  }
  get room(): RoomInfo | null {
    return this._room;
  }
  get you(): LocalParticipant | null {
    return this._you;
  }
  get role(): Role | null {
    return this._you?.role ?? null;
  }
  get participants(): ReadonlyMap<string, Participant> {
    return this._participants;
  }
  get hands(): readonly string[] {
    return this._hands;
  }
  get activeSpeakers(): readonly string[] {
    return this._activeSpeakers;
  }
  get subscribedTracks(): SubscribedTrack[] {
    return [...this.subscriptions.values()];
  }
  get localTracks(): LocalTrack[] {
    return [...this.local.values()].map(publicLocal);
  }
  get peerConnection(): RTCPeerConnection | null {
    return this.pc;
  }
  get canPublish(): boolean {
    return !!this._you && this._you.role !== 'listener';
  }

  // ---- connecting --------------------------------------------------------------------------------------

  /** Opens the WebSocket, joins with the access token, and negotiates media. Resolves once the first answer is in. */
  async connect(wsUrl: string, token: string): Promise<void> {
    if (this._state !== 'idle' && this._state !== 'disconnected') throw new Error('already connected');
    this.wsUrl = wsUrl;
    this.token = token;
    this.finished = false;
    this.setState('connecting');
    let joined: JoinedMessage;
    try {
      joined = await this.openAndJoin(null);
    } catch (e) {
      this.setState('disconnected');
      throw e;
    }
    this.applyJoined(joined);
    this.createPeerConnection();
    this.setState('connected');
    this.emit('connected', { room: joined.room, you: { ...this._you! }, resumed: false });
    await this.negotiate();
  }

  /** Leaves the room: the node forgets this participant at once (no resume). */
  leave(): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.send({ type: 'leave' });
    this.finish('left');
  }

  /** Test hook: closes the WebSocket as a network failure would (no `leave`), so the client resumes. */
  debugDropSocket(): void {
    this.ws?.close(4000, 'debug drop');
  }

  private async openAndJoin(resume: string | null): Promise<JoinedMessage> {
    const ws = await this.openSocket();
    try {
      const join: Record<string, unknown> = { type: 'join', v: 1, token: this.token };
      if (resume) join.resume = resume;
      return (await this.request(join)) as JoinedMessage;
    } catch (e) {
      if (resume && e instanceof ArenaError && e.code === 'resume_failed' && ws.readyState === WebSocket.OPEN) {
        // The connection stays open after the error: join afresh on it.
        return (await this.request({ type: 'join', v: 1, token: this.token })) as JoinedMessage;
      }
      ws.close();
      throw e;
    }
  }

  private openSocket(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.wsUrl);
      this.ws = ws;
      let opened = false;
      ws.onopen = () => {
        opened = true;
        resolve(ws);
      };
      ws.onmessage = (ev) => {
        if (this.ws === ws) this.onMessage(ev.data);
      };
      ws.onclose = (ev) => {
        if (!opened) reject(new ArenaError('disconnected', `WebSocket to ${this.wsUrl} failed (${ev.code})`));
        if (this.ws === ws) this.onSocketClosed(ev);
      };
      ws.onerror = () => {
        /* onclose follows */
      };
    });
  }

  private onSocketClosed(ev: CloseEvent): void {
    this.ws = null;
    this.stopPing();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ArenaError('disconnected', `the WebSocket closed (${ev.code}${ev.reason ? ' ' + ev.reason : ''})`, p.type));
    }
    this.pending.clear();
    if (this.finished || this._state === 'connecting' || this._state === 'reconnecting') return;
    if (this._state === 'connected' && this.options.reconnect.enabled && ev.code !== 1008) {
      void this.reconnectLoop();
    } else {
      this.finish(`socket closed (${ev.code})`);
    }
  }

  private async reconnectLoop(): Promise<void> {
    this.setState('reconnecting');
    this.socketLostAt = Date.now();
    const { baseDelayMs, maxDelayMs, maxAttempts } = this.options.reconnect;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const delayMs = Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
      this.emit('reconnecting', { attempt, delayMs });
      await sleep(delayMs);
      if (this.finished) return;
      const inWindow = this.resumeToken !== null && Date.now() - this.socketLostAt < this.resumeWindowMs;
      let joined: JoinedMessage;
      try {
        joined = await this.openAndJoin(inWindow ? this.resumeToken : null);
      } catch (e) {
        const err = toArenaError(e);
        if (TOKEN_ERRORS.has(err.code)) {
          this.finish(err.code);
          return;
        }
        continue;
      }
      if (this.finished) return;
      try {
        if (joined.resumed) {
          this.applyJoined(joined);
          this.setState('connected');
          this.emit('reconnected', { resumed: true });
          await this.negotiate({ iceRestart: true });
        } else {
          this.resetMedia();
          this.applyJoined(joined);
          this.createPeerConnection();
          this.setState('connected');
          this.emit('reconnected', { resumed: false });
          await this.negotiate();
        }
      } catch {
        /* emitted, or the socket dropped again (then another reconnect runs) */
      }
      return;
    }
    this.finish('reconnect failed');
  }

  private finish(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    this.stopPing();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ArenaError('disconnected', reason, p.type));
    }
    this.pending.clear();
    this.resetMedia();
    for (const entry of this.local.values()) entry.track.stop();
    this.local.clear();
    for (const t of this.localStream.getTracks()) this.localStream.removeTrack(t);
    this.setState('disconnected');
    this.emit('disconnected', { reason });
  }

  private resetMedia(): void {
    for (const sub of [...this.subscriptions.values()]) this.unsubscribe(sub);
    this.spareSenders.length = 0;
    for (const entry of this.local.values()) entry.transceiver = undefined;
    this.pc?.close();
    this.pc = null;
    this.iceRestartWanted = false;
  }

  private setState(s: ConnectionState): void {
    if (this._state === s) return;
    this._state = s;
    this.emit('connectionStateChanged', s);
  }

  // ---- messages ----------------------------------------------------------------------------------------

  private send(msg: Record<string, unknown>): void {
    if (this.options.debug) console.debug('arena >', msg);
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) throw new ArenaError('disconnected', 'not connected', String(msg.type));
    this.ws.send(JSON.stringify(msg));
  }

  private request(msg: Record<string, unknown>): Promise<ServerMessage> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const type = String(msg.type);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ArenaError('timeout', `no reply to ${type} within ${this.options.requestTimeoutMs} ms`, type));
      }, this.options.requestTimeoutMs);
      this.pending.set(id, { type, resolve, reject, timer });
      try {
        this.send({ ...msg, id });
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  private onMessage(data: unknown): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (this.options.debug) console.debug('arena <', msg);
    const id = 'id' in msg && msg.id !== undefined && msg.id !== null ? String(msg.id) : null;
    if (id !== null && this.pending.has(id)) {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (msg.type === 'error') {
        const err = new ArenaError(msg.code, msg.message, p.type);
        // Every refusal is an 'error' event too, except a failed resume, which the client handles itself.
        if (msg.code !== 'resume_failed' && msg.code !== 'negotiation_in_progress') this.emit('error', err);
        p.reject(err);
      } else {
        p.resolve(msg);
      }
      return;
    }
    try {
      this.onEvent(msg);
    } catch (e) {
      console.error('arena: cannot handle', msg, e);
    }
  }

  private onEvent(msg: ServerMessage): void {
    switch (msg.type) {
      case 'participant_joined': {
        const p = toParticipant(msg.participant);
        this._participants.set(p.identity, p);
        this.emit('participantJoined', p);
        this.changed();
        break;
      }
      case 'participant_left': {
        const p = this._participants.get(msg.participant);
        if (!p) break;
        this._participants.delete(msg.participant);
        for (const sub of [...this.subscriptions.values()]) if (sub.participant === msg.participant) this.unsubscribe(sub);
        this._hands = this._hands.filter((h) => h !== msg.participant);
        this.emit('participantLeft', { participant: p, reason: msg.reason });
        this.changed();
        break;
      }
      case 'role_changed':
        this.onRoleChanged(msg.participant, msg.role, msg.by);
        break;
      case 'hand_raised':
        this.setHands(msg.hands);
        this.emit('handRaised', { participant: msg.participant, hands: [...msg.hands] });
        break;
      case 'hand_lowered':
        this.setHands(msg.hands);
        this.emit('handLowered', { participant: msg.participant, reason: msg.reason, hands: [...msg.hands] });
        break;
      case 'track_published': {
        const p = this._participants.get(msg.participant);
        if (p && !p.tracks.some((t) => t.trackId === msg.track.trackId)) p.tracks.push({ ...msg.track });
        this.emit('trackPublished', { participant: msg.participant, track: { ...msg.track } });
        this.changed();
        break;
      }
      case 'track_unpublished': {
        const p = this._participants.get(msg.participant);
        if (p) p.tracks = p.tracks.filter((t) => t.trackId !== msg.trackId);
        for (const sub of [...this.subscriptions.values()]) if (sub.trackId === msg.trackId) this.unsubscribe(sub);
        this.emit('trackUnpublished', { participant: msg.participant, trackId: msg.trackId });
        this.changed();
        break;
      }
      case 'track_muted':
        this.onTrackMuted(msg.participant, msg.trackId, msg.muted, msg.by);
        break;
      case 'offer_needed':
        this.recvWanted.audio = Math.max(this.recvWanted.audio, msg.recv?.audio ?? 0);
        this.recvWanted.video = Math.max(this.recvWanted.video, msg.recv?.video ?? 0);
        this.renegotiate();
        break;
      case 'active_speakers':
        this._activeSpeakers = [...msg.speakers];
        this.emit('activeSpeakers', [...msg.speakers]);
        break;
      case 'chat':
        this.emit('chat', { from: msg.from, name: msg.name, text: msg.text, ts: msg.ts });
        break;
      case 'removed':
        this.finish(msg.reason);
        break;
      case 'error':
        this.emit('error', new ArenaError(msg.code, msg.message));
        if (TOKEN_ERRORS.has(msg.code)) this.finish(msg.code);
        break;
      case 'permissions_changed':
        if (this._you) this._you.permissions = { ...msg.permissions };
        this.changed();
        break;
      case 'ping':
        if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'pong' }));
        break;
      default:
        break;
    }
  }

  private changed(): void {
    this.emit('participantsChanged', this._participants);
  }

  private setHands(hands: string[]): void {
    this._hands = [...hands];
    const raised = new Set(hands);
    for (const p of this._participants.values()) p.handRaised = raised.has(p.identity);
    if (this._you) this._you.handRaised = raised.has(this._you.identity);
    this.emit('handsChanged', [...hands]);
    this.changed();
  }

  private applyJoined(joined: JoinedMessage): void {
    const previousRole = this._you?.role ?? null;
    this._room = joined.room;
    this._you = { ...joined.you, handRaised: joined.hands.includes(joined.you.identity) };
    this.resumeToken = joined.resumeToken ?? null;
    this.resumeWindowMs = joined.resumeWindowMs ?? 20000;
    const seen = new Set<string>();
    for (const info of joined.participants) {
      seen.add(info.identity);
      const p = toParticipant(info);
      const known = this._participants.has(p.identity);
      this._participants.set(p.identity, p);
      if (!known) this.emit('participantJoined', p);
    }
    for (const [identity, p] of [...this._participants]) {
      if (seen.has(identity)) continue;
      this._participants.delete(identity);
      for (const sub of [...this.subscriptions.values()]) if (sub.participant === identity) this.unsubscribe(sub);
      this.emit('participantLeft', { participant: p, reason: 'left' });
    }
    this._activeSpeakers = [...(joined.activeSpeakers ?? [])];
    this.setHands(joined.hands ?? []);
    this.startPing();
    if (previousRole !== null && previousRole !== joined.you.role) {
      this.emit('roleChanged', { participant: joined.you.identity, role: joined.you.role, by: 'api', local: true });
      this.onLocalRoleChange(previousRole, joined.you.role);
    }
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      try {
        if (this.ws?.readyState === WebSocket.OPEN) this.send({ type: 'ping' });
      } catch {
        /* closing */
      }
    }, 10000);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  // ---- room actions ------------------------------------------------------------------------------------

  /** A listener asks to speak. */
  async raiseHand(): Promise<void> {
    await this.request({ type: 'raise_hand' });
  }

  /** Lowers one's own hand, or (a host) someone else's: a host's way to deny a request. */
  async lowerHand(participant?: string): Promise<void> {
    await this.request(participant ? { type: 'lower_hand', participant } : { type: 'lower_hand' });
  }

  /** A host brings a participant (usually with a raised hand) on stage. */
  async approve(participant: string): Promise<void> {
    await this.setRole(participant, 'speaker');
  }

  async setRole(participant: string, role: Role): Promise<void> {
    await this.request({ type: 'set_role', participant, role });
  }

  async remove(participant: string): Promise<void> {
    await this.request({ type: 'remove', participant });
  }

  /** A host mutes someone's track (or its publisher mutes or unmutes it). */
  async muteTrack(trackId: string, muted: boolean): Promise<void> {
    await this.request({ type: 'mute', trackId, muted });
  }

  async sendChat(text: string): Promise<void> {
    await this.request({ type: 'chat', text });
  }

  // ---- publishing --------------------------------------------------------------------------------------

  /** Captures the camera and/or microphone and publishes them (a listener's offer is refused: publish_not_allowed). */
  async publish(opts: PublishOptions = { audio: true, video: true }): Promise<LocalTrack[]> {
    const constraints: MediaStreamConstraints = {};
    const deviceIds = { ...this.preferredDevices, ...(opts.deviceIds ?? {}) };
    if (opts.audio && !this.local.has('microphone')) constraints.audio = withDevice(opts.audio, deviceIds.audioinput);
    if (opts.video && !this.local.has('camera')) constraints.video = withDevice(opts.video, deviceIds.videoinput);
    const added: LocalEntry[] = [];
    if (constraints.audio || constraints.video) {
      let media: MediaStream;
      try {
        media = await navigator.mediaDevices.getUserMedia(constraints);
      } catch (e) {
        const err = new ArenaError('media', `cannot capture ${Object.keys(constraints).join(' and ')}: ${e}`);
        this.emit('error', err);
        throw err;
      }
      for (const track of media.getTracks()) added.push(this.addLocal(SOURCE_OF_KIND[track.kind as TrackKind], track));
    }
    await this.publishAdded(added);
    return this.localTracks;
  }

  async publishCamera(constraints: boolean | MediaTrackConstraints = true): Promise<LocalTrack[]> {
    return this.publish({ video: constraints });
  }

  async publishMicrophone(constraints: boolean | MediaTrackConstraints = true): Promise<LocalTrack[]> {
    return this.publish({ audio: constraints });
  }

  /** Publishes a track of your own (e.g. a screen from getDisplayMedia, or a canvas). */
  async publishTrack(track: MediaStreamTrack, source: TrackSource): Promise<void> {
    if (this.local.has(source)) await this.unpublish(source);
    await this.publishAdded([this.addLocal(source, track)]);
  }

  private async publishAdded(added: LocalEntry[]): Promise<void> {
    this.emit('localTracksChanged', this.localTracks);
    if (!this.pc || added.length === 0) return;
    try {
      await this.negotiate();
    } catch (e) {
      // Refused (e.g. publish_not_allowed): the local description was rolled back; stop what we captured.
      for (const entry of added) this.dropLocal(entry, true);
      this.emit('localTracksChanged', this.localTracks);
      throw e;
    }
  }

  private addLocal(source: TrackSource, track: MediaStreamTrack): LocalEntry {
    const entry: LocalEntry = { source, kind: track.kind as TrackKind, track, muted: false };
    this.local.set(source, entry);
    this.localStream.addTrack(track);
    if (this.pc) this.attachSender(entry);
    return entry;
  }

  private attachSender(entry: LocalEntry): void {
    const pc = this.pc!;
    const i = this.spareSenders.findIndex((t) => t.receiver.track.kind === entry.kind);
    if (i >= 0) {
      const tr = this.spareSenders.splice(i, 1)[0];
      tr.direction = 'sendonly';
      void tr.sender.replaceTrack(entry.muted ? null : entry.track);
      tr.sender.setStreams(this.localStream);
      entry.transceiver = tr;
    } else {
      entry.transceiver = pc.addTransceiver(entry.track, { direction: 'sendonly', streams: [this.localStream] });
      if (entry.muted) void entry.transceiver.sender.replaceTrack(null);
    }
  }

  /** Stops a local track and frees its section (it becomes inactive and is reused by the next publish). */
  private dropLocal(entry: LocalEntry, stop: boolean): void {
    if (this.local.get(entry.source) === entry) this.local.delete(entry.source);
    this.localStream.removeTrack(entry.track);
    if (stop) entry.track.stop();
    const tr = entry.transceiver;
    if (tr && this.pc && tr.currentDirection !== 'stopped') {
      tr.direction = 'inactive';
      void tr.sender.replaceTrack(null);
      this.spareSenders.push(tr);
    }
    entry.transceiver = undefined;
    if (entry.trackId) this.emit('localTrackUnpublished', publicLocal(entry));
  }

  /** Stops publishing one source (or all) and re-offers. */
  async unpublish(source?: TrackSource): Promise<void> {
    const entries = [...this.local.values()].filter((e) => !source || e.source === source);
    if (entries.length === 0) return;
    for (const e of entries) this.dropLocal(e, true);
    this.emit('localTracksChanged', this.localTracks);
    if (this.pc) await this.negotiate();
  }

  private stopPublishing(): void {
    const entries = [...this.local.values()];
    if (entries.length === 0) return;
    for (const e of entries) this.dropLocal(e, true);
    this.emit('localTracksChanged', this.localTracks);
    if (this.pc) this.renegotiate();
  }

  /** Mutes or unmutes a local source: nothing is sent while muted, and the node tells the others. */
  async setMuted(source: TrackSource, muted: boolean): Promise<void> {
    const entry = this.local.get(source);
    if (!entry) throw new ArenaError('not_found', `not publishing ${source}`);
    entry.muted = muted;
    await entry.transceiver?.sender.replaceTrack(muted ? null : entry.track);
    this.emit('localTracksChanged', this.localTracks);
    if (entry.trackId && this.ws) await this.muteTrack(entry.trackId, muted);
  }

  /** Switches the microphone or camera to another device (replaceTrack: no renegotiation), or sets the preference. */
  async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    this.preferredDevices[kind] = deviceId;
    const source: TrackSource = kind === 'audioinput' ? 'microphone' : 'camera';
    const entry = this.local.get(source);
    if (!entry) return;
    const media = await navigator.mediaDevices.getUserMedia(
      kind === 'audioinput' ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } },
    );
    const track = media.getTracks()[0];
    const old = entry.track;
    entry.track = track;
    if (!entry.muted) await entry.transceiver?.sender.replaceTrack(track);
    this.localStream.removeTrack(old);
    this.localStream.addTrack(track);
    old.stop();
    this.emit('localTracksChanged', this.localTracks);
  }

  private onRoleChanged(identity: string, role: Role, by: string): void {
    const local = this._you?.identity === identity;
    if (local) {
      const before = this._you!.role;
      this._you!.role = role;
      this.emit('roleChanged', { participant: identity, role, by, local: true });
      this.changed();
      this.onLocalRoleChange(before, role);
      return;
    }
    const p = this._participants.get(identity);
    if (p) p.role = role;
    this.emit('roleChanged', { participant: identity, role, by, local: false });
    this.changed();
  }

  /** On stage: publish (publishOnPromotion); back in the audience: stop the local tracks and re-offer. */
  private onLocalRoleChange(before: Role, role: Role): void {
    if (before === 'listener' && role !== 'listener') {
      const what = this.options.publishOnPromotion;
      if (what && (what.audio || what.video)) {
        this.publish(what).catch(() => {
          /* emitted as 'error' by publish or the refused offer */
        });
      } else if (this.local.size > 0 && this.pc) {
        this.renegotiate();
      }
    } else if (role === 'listener' && before !== 'listener') {
      this.stopPublishing();
    }
  }

  private onTrackMuted(participant: string, trackId: string, muted: boolean, by: string): void {
    const local = this._you?.identity === participant;
    if (local) {
      const entry = [...this.local.values()].find((e) => e.trackId === trackId);
      if (entry && entry.muted !== muted) {
        entry.muted = muted;
        void entry.transceiver?.sender.replaceTrack(muted ? null : entry.track);
        this.emit('localTracksChanged', this.localTracks);
      }
    } else {
      const p = this._participants.get(participant);
      const t = p?.tracks.find((x) => x.trackId === trackId);
      if (t) t.muted = muted;
      for (const sub of this.subscriptions.values()) if (sub.trackId === trackId) sub.muted = muted;
    }
    this.emit('trackMuted', { participant, trackId, muted, by, local });
    this.changed();
  }

  // ---- negotiation -------------------------------------------------------------------------------------

  private createPeerConnection(): void {
    const pc = new RTCPeerConnection(this.options.rtcConfiguration);
    this.pc = pc;
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      this.emit('peerConnectionStateChanged', pc.connectionState);
      if (pc.connectionState === 'failed' && this._state === 'connected') this.renegotiate({ iceRestart: true });
    };
    // Receive sections for the room's tracks are added by the first offer; here what we publish.
    for (const entry of this.local.values()) {
      if (this.canPublish) {
        this.attachSender(entry);
      } else {
        this.dropLocal(entry, true);
      }
    }
  }

  /**
   * Asks for an offer: one runs at a time, and requests made meanwhile share the next one (made with
   * everything wanted by then). Resolves when that offer is answered; rejects with its error (already emitted
   * as 'error' when the node refused it).
   */
  private negotiate(opts: { iceRestart?: boolean } = {}): Promise<void> {
    if (opts.iceRestart) this.iceRestartWanted = true;
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.negotiating) void this.runNegotiations();
    return p;
  }

  /** negotiate() for background causes (offer_needed, a role change): errors were emitted already. */
  private renegotiate(opts: { iceRestart?: boolean } = {}): void {
    this.negotiate(opts).catch(() => {
      /* emitted */
    });
  }

  private async runNegotiations(): Promise<void> {
    this.negotiating = true;
    try {
      let retries = 0;
      while (this.waiters.length > 0) {
        const batch = this.waiters.splice(0);
        const pc = this.pc;
        if (!pc || this.ws?.readyState !== WebSocket.OPEN) {
          for (const w of batch) w.reject(new ArenaError('disconnected', 'not connected', 'offer'));
          continue;
        }
        try {
          const again = await this.offerOnce(pc);
          if (again && retries++ < 20) {
            this.waiters.unshift(...batch);
            continue;
          }
          for (const w of batch) w.resolve();
        } catch (e) {
          for (const w of batch) w.reject(toArenaError(e));
        }
      }
    } finally {
      this.negotiating = false;
    }
  }

  /** Makes one offer and applies the answer; true when it must be made again (the node was busy). */
  private async offerOnce(pc: RTCPeerConnection): Promise<boolean> {
    // Receive sections: what offer_needed asked for, and at least one per remote track the client knows of.
    const known = { audio: 0, video: 0 };
    for (const p of this._participants.values()) for (const t of p.tracks) known[t.kind] += 1;
    const have = { audio: 0, video: 0 };
    for (const tr of pc.getTransceivers()) {
      if (tr.direction === 'recvonly') have[tr.receiver.track.kind as TrackKind] += 1;
    }
    for (const kind of ['audio', 'video'] as const) {
      const add = Math.max(this.recvWanted[kind], known[kind] - have[kind]);
      for (let i = 0; i < add; i++) pc.addTransceiver(kind, { direction: 'recvonly' });
      this.recvWanted[kind] = 0;
    }
    const iceRestart = this.iceRestartWanted;
    this.iceRestartWanted = false;
    const offer = await pc.createOffer({ iceRestart });
    await pc.setLocalDescription(offer);
    await waitForIceGathering(pc, 3000);
    const tracks: Record<string, { source: TrackSource }> = {};
    for (const entry of this.local.values()) {
      const mid = entry.transceiver?.mid;
      if (mid) tracks[mid] = { source: entry.source };
    }
    let answer: AnswerMessage;
    try {
      answer = (await this.request({ type: 'offer', sdp: pc.localDescription!.sdp, tracks })) as AnswerMessage;
    } catch (e) {
      if (this.pc === pc && pc.signalingState === 'have-local-offer') {
        await pc.setLocalDescription({ type: 'rollback' });
      }
      const err = toArenaError(e);
      if (iceRestart) this.iceRestartWanted = true;
      if (err.code === 'negotiation_in_progress') {
        await sleep(200);
        return true;
      }
      throw err;
    }
    if (this.pc !== pc) return false;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    this.applyMids(pc, answer.mids ?? {});
    return false;
  }

  private applyMids(pc: RTCPeerConnection, mids: Record<string, MidInfo>): void {
    const recv = new Map<string, { info: Extract<MidInfo, { direction: 'recv' }>; tr: RTCRtpTransceiver }>();
    for (const tr of pc.getTransceivers()) {
      const mid = tr.mid;
      if (!mid || !mids[mid]) continue;
      const info = mids[mid];
      if (info.direction === 'send') {
        const entry = [...this.local.values()].find((e) => e.transceiver === tr);
        if (entry && entry.trackId !== info.trackId) {
          entry.trackId = info.trackId;
          this.emit('localTrackPublished', publicLocal(entry));
          this.emit('localTracksChanged', this.localTracks);
        }
      } else if (info.direction === 'recv') {
        recv.set(mid, { info, tr });
      }
    }
    for (const [mid, sub] of [...this.subscriptions]) {
      const now = recv.get(mid);
      if (!now || now.info.trackId !== sub.trackId) this.unsubscribe(sub);
    }
    for (const [mid, { info, tr }] of recv) {
      if (this.subscriptions.has(mid)) continue;
      const p = this._participants.get(info.participant);
      const t = p?.tracks.find((x) => x.trackId === info.trackId);
      const track = tr.receiver.track;
      const sub: SubscribedTrack = {
        trackId: info.trackId,
        participant: info.participant,
        kind: info.kind ?? (track.kind as TrackKind),
        source: t?.source ?? SOURCE_OF_KIND[info.kind ?? (track.kind as TrackKind)],
        muted: t?.muted ?? false,
        mid,
        track,
        stream: new MediaStream([track]),
      };
      this.subscriptions.set(mid, sub);
      this.emit('trackSubscribed', sub);
    }
  }

  private unsubscribe(sub: SubscribedTrack): void {
    if (this.subscriptions.get(sub.mid) !== sub) return;
    this.subscriptions.delete(sub.mid);
    this.emit('trackUnsubscribed', sub);
  }

  // ---- stats -------------------------------------------------------------------------------------------

  /** Receive statistics per subscribed track (from getStats, matched by mid). */
  async getSubscriptionStats(): Promise<InboundStats[]> {
    const pc = this.pc;
    if (!pc) return [];
    const report = await pc.getStats();
    const out: InboundStats[] = [];
    report.forEach((r) => {
      if (r.type !== 'inbound-rtp') return;
      const sub = r.mid !== undefined ? this.subscriptions.get(String(r.mid)) : undefined;
      if (!sub) return;
      out.push({
        trackId: sub.trackId,
        participant: sub.participant,
        kind: sub.kind,
        mid: sub.mid,
        packetsReceived: r.packetsReceived ?? 0,
        bytesReceived: r.bytesReceived ?? 0,
        framesDecoded: r.framesDecoded ?? 0,
        totalSamplesReceived: r.totalSamplesReceived ?? 0,
        frameWidth: r.frameWidth,
        frameHeight: r.frameHeight,
      });
    });
    return out;
  }

  /** Send statistics per local track. */
  async getPublishStats(): Promise<OutboundStats[]> {
    const pc = this.pc;
    if (!pc) return [];
    const report = await pc.getStats();
    const byMid = new Map<string, LocalEntry>();
    for (const e of this.local.values()) if (e.transceiver?.mid) byMid.set(e.transceiver.mid, e);
    const out: OutboundStats[] = [];
    report.forEach((r) => {
      if (r.type !== 'outbound-rtp') return;
      const e = byMid.get(String(r.mid));
      if (!e) return;
      out.push({
        source: e.source,
        kind: e.kind,
        trackId: e.trackId,
        mid: e.transceiver?.mid ?? null,
        packetsSent: r.packetsSent ?? 0,
        bytesSent: r.bytesSent ?? 0,
        framesEncoded: r.framesEncoded ?? 0,
      });
    });
    return out;
  }
}

function publicLocal(e: LocalEntry): LocalTrack {
  return { source: e.source, kind: e.kind, track: e.track, trackId: e.trackId, muted: e.muted };
}

function toParticipant(info: ParticipantInfo): Participant {
  return {
    identity: info.identity,
    name: info.name ?? info.identity,
    role: info.role,
    handRaised: !!info.handRaised,
    tracks: (info.tracks ?? []).map((t) => ({ ...t })),
  };
}

function toArenaError(e: unknown): ArenaError {
  if (e instanceof ArenaError) return e;
  return new ArenaError('internal', e instanceof Error ? e.message : String(e));
}

function withDevice(c: boolean | MediaTrackConstraints, deviceId?: string): boolean | MediaTrackConstraints {
  if (!deviceId) return c;
  return { ...(typeof c === 'object' ? c : {}), deviceId: { exact: deviceId } };
}

function waitForIceGathering(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      pc.removeEventListener('icegatheringstatechange', check);
      clearTimeout(timer);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}
