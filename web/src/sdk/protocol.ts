/**
 * The JSON messages of Arena's signaling protocol, version 1 (docs/protocol.md), as TypeScript types.
 */

export type Role = 'host' | 'speaker' | 'listener';
export type TrackKind = 'audio' | 'video';
export type TrackSource = 'camera' | 'microphone' | 'screen' | 'other';
export type LeaveReason = 'left' | 'removed' | 'replaced' | 'timeout' | 'failed';

export interface TrackInfo {
  trackId: string;
  kind: TrackKind;
  source: TrackSource;
  muted: boolean;
}

export interface ParticipantInfo {
  identity: string;
  name: string;
  role: Role;
  handRaised: boolean;
  tracks: TrackInfo[];
}

export interface Permissions {
  publish: boolean;
  subscribe: boolean;
  admin: boolean;
}

export interface SelfInfo {
  identity: string;
  name: string;
  role: Role;
  permissions: Permissions;
}

export interface RoomInfo {
  id: string;
  title?: string;
  limits?: { participants?: number; speakers?: number; tracksPerParticipant?: number };
}

export type MidInfo =
  | { direction: 'send'; trackId: string }
  | { direction: 'recv'; trackId: string; participant: string; kind: TrackKind }
  | { direction: 'inactive' };

export interface JoinedMessage {
  type: 'joined';
  id?: string | number;
  v: number;
  room: RoomInfo;
  you: SelfInfo;
  participants: ParticipantInfo[];
  hands: string[];
  activeSpeakers: string[];
  resumeToken: string;
  resumeWindowMs: number;
  resumed: boolean;
}

export interface AnswerMessage {
  type: 'answer';
  id?: string | number;
  sdp: string;
  mids: Record<string, MidInfo>;
}

export interface ErrorMessage {
  type: 'error';
  id?: string | number;
  code: string;
  message: string;
}

export type ServerMessage =
  | JoinedMessage
  | AnswerMessage
  | ErrorMessage
  | { type: 'ok'; id?: string | number }
  | { type: 'pong'; id?: string | number }
  | { type: 'ping' }
  | { type: 'participant_joined'; participant: ParticipantInfo }
  | { type: 'participant_left'; participant: string; reason: LeaveReason }
  | { type: 'role_changed'; participant: string; role: Role; by: string }
  | { type: 'hand_raised'; participant: string; hands: string[] }
  | { type: 'hand_lowered'; participant: string; reason: 'lowered' | 'approved' | 'left'; hands: string[] }
  | { type: 'track_published'; participant: string; track: TrackInfo }
  | { type: 'track_unpublished'; participant: string; trackId: string }
  | { type: 'track_muted'; participant: string; trackId: string; muted: boolean; by: string }
  | { type: 'offer_needed'; recv: { audio: number; video: number } }
  | { type: 'active_speakers'; speakers: string[] }
  | { type: 'chat'; from: string; name: string; text: string; ts: number }
  | { type: 'removed'; reason: 'removed' | 'replaced' | 'room_closed' }
  | { type: 'permissions_changed'; permissions: Permissions };

/** Error codes of the protocol, plus the SDK's own (`disconnected`, `timeout`, `media`). */
export type ErrorCode =
  | 'bad_message' | 'unknown_type' | 'message_too_large' | 'unsupported_version' | 'not_joined'
  | 'already_joined' | 'invalid_token' | 'token_expired' | 'wrong_room' | 'missing_grant' | 'resume_failed'
  | 'room_full' | 'speakers_full' | 'too_many_tracks' | 'publish_not_allowed' | 'bad_sdp' | 'no_common_codec'
  | 'negotiation_in_progress' | 'not_allowed' | 'not_found' | 'bad_request' | 'internal'
  | 'disconnected' | 'timeout' | 'media' | (string & {});

/** Token errors end the connection (the node closes it with 1008 after the error). */
export const TOKEN_ERRORS: ReadonlySet<string> = new Set(['invalid_token', 'token_expired', 'wrong_room', 'missing_grant']);
