/** The SDK's public types: what ArenaClient's methods return and its events carry. */
import type { ErrorCode, LeaveReason, Permissions, Role, RoomInfo, TrackInfo, TrackKind, TrackSource } from './protocol.js';

/** An error from the node (its `code` is the protocol's) or from the SDK (`disconnected`, `timeout`, `media`). */
export class ArenaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The request type it answers (e.g. `offer`), when it answers one. */
    readonly request?: string,
  ) {
    super(message);
    this.name = 'ArenaError';
  }
}

/** Another participant of the room, as the client knows it. */
export interface Participant {
  identity: string;
  name: string;
  role: Role;
  handRaised: boolean;
  tracks: TrackInfo[];
}

/** The local participant. */
export interface LocalParticipant {
  identity: string;
  name: string;
  role: Role;
  permissions: Permissions;
  handRaised: boolean;
}

/** A remote track delivered to this client (one receive section of the peer connection). */
export interface SubscribedTrack {
  trackId: string;
  participant: string;
  kind: TrackKind;
  source: TrackSource;
  muted: boolean;
  mid: string;
  track: MediaStreamTrack;
  /** A stream with just this track (e.g. for a `<video>` element's srcObject). */
  stream: MediaStream;
}

/** A track this client publishes (or is about to). */
export interface LocalTrack {
  source: TrackSource;
  kind: TrackKind;
  track: MediaStreamTrack;
  /** Known once the node has answered an offer that carries it. */
  trackId?: string;
  muted: boolean;
}

export interface ChatMessage {
  from: string;
  name: string;
  text: string;
  ts: number;
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** Every event of {@link ArenaClient} with its payload. */
export interface ArenaEvents {
  connected: { room: RoomInfo; you: LocalParticipant; resumed: boolean };
  participantJoined: Participant;
  participantLeft: { participant: Participant; reason: LeaveReason };
  /** Any change of the participant list, a role, a hand or a track: a cue to redraw lists. */
  participantsChanged: ReadonlyMap<string, Participant>;
  roleChanged: { participant: string; role: Role; by: string; local: boolean };
  handRaised: { participant: string; hands: string[] };
  handLowered: { participant: string; reason: string; hands: string[] };
  handsChanged: string[];
  trackPublished: { participant: string; track: TrackInfo };
  trackUnpublished: { participant: string; trackId: string };
  trackSubscribed: SubscribedTrack;
  trackUnsubscribed: SubscribedTrack;
  trackMuted: { participant: string; trackId: string; muted: boolean; by: string; local: boolean };
  localTrackPublished: LocalTrack;
  localTrackUnpublished: LocalTrack;
  localTracksChanged: LocalTrack[];
  activeSpeakers: string[];
  chat: ChatMessage;
  error: ArenaError;
  reconnecting: { attempt: number; delayMs: number };
  reconnected: { resumed: boolean };
  disconnected: { reason: string };
  connectionStateChanged: ConnectionState;
  peerConnectionStateChanged: RTCPeerConnectionState;
}

export interface PublishOptions {
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
  deviceIds?: { audioinput?: string; videoinput?: string };
}

export interface ArenaClientOptions {
  /** Merged over `{iceServers: [], bundlePolicy: 'max-bundle'}` (the node is ICE-lite and needs no STUN/TURN). */
  rtcConfiguration?: RTCConfiguration;
  /** What to publish when a host makes this client a speaker or host; `false`: nothing (call publish yourself). */
  publishOnPromotion?: { audio: boolean; video: boolean } | false;
  reconnect?: { enabled?: boolean; baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  /** How long a request waits for its reply. */
  requestTimeoutMs?: number;
  /** Logs every message to the console. */
  debug?: boolean;
}

export interface InboundStats {
  trackId: string;
  participant: string;
  kind: TrackKind;
  mid: string;
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  totalSamplesReceived: number;
  frameWidth?: number;
  frameHeight?: number;
}

export interface OutboundStats {
  source: TrackSource;
  kind: TrackKind;
  trackId?: string;
  mid: string | null;
  packetsSent: number;
  bytesSent: number;
  framesEncoded: number;
}
