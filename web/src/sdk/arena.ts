/**
 * Arena's browser SDK: `import { ArenaClient } from '/sdk/arena.js'`.
 * See docs/protocol.md for the protocol it speaks and README.md ("Browser SDK") for a walk-through.
 */
export { ArenaClient } from './client.js';
export { ArenaError } from './types.js';
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
export type {
  ErrorCode,
  LeaveReason,
  ParticipantInfo,
  Permissions,
  Role,
  RoomInfo,
  TrackInfo,
  TrackKind,
  TrackSource,
} from './protocol.js';
export { Emitter } from './emitter.js';

/** The WebSocket URL of the node that served this page: ws(s)://host/ws. */
export function defaultWsUrl(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}
