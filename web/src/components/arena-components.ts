/**
 * Arena's UI components as custom elements (no framework; they work with any MediaStream):
 * `import '/components/arena-components.js'` defines all of them.
 */
export { ArenaVideoGrid, computeGridLayout } from './video-grid.js';
export type { GridLayout, TileBox, TileOptions } from './video-grid.js';
export { ArenaDevicePicker } from './device-picker.js';
export type { DeviceKind } from './device-picker.js';
export { ArenaChat } from './chat.js';
export type { ChatEntry } from './chat.js';
export { ArenaRaiseHand } from './raise-hand.js';
export type { HandEntry } from './raise-hand.js';
export { ArenaParticipantList } from './participant-list.js';
export type { ParticipantEntry } from './participant-list.js';
