/**
 * The demo app at `/`: create an event (host), or join one from its audience link (`/?room=ID`, listener).
 * It is ArenaClient plus the components, joined by the small adapter below.
 *
 * For tests: stable element ids (see index.html), `window.arena` (the ArenaClient), `window.arenaTest`
 * (status and stats) and `window.arenaDemo` (createEvent / joinEvent without the forms).
 */
import { ArenaClient, ArenaError, defaultWsUrl, type Role } from '../sdk/arena.js';
// Defines the custom elements (the named imports below are used as types only, which TypeScript drops).
import '../components/arena-components.js';
import {
  ArenaChat,
  ArenaDevicePicker,
  ArenaParticipantList,
  ArenaRaiseHand,
  ArenaVideoGrid,
  type ParticipantEntry,
} from '../components/arena-components.js';

interface EventCreated {
  room: string;
  identity: string;
  hostToken: string;
  audienceUrl: string;
}

interface TokenIssued {
  token: string;
  identity: string;
}

type Phase = 'landing' | 'join' | 'connecting' | 'joined' | 'reconnecting' | 'disconnected';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** What tests read: `window.arenaTest`. */
const arenaTest = {
  phase: 'landing' as Phase,
  room: null as string | null,
  identity: null as string | null,
  role: null as Role | null,
  audienceUrl: null as string | null,
  errors: [] as { code: string; message: string; at: number }[],
  reconnects: 0,
  resumes: 0,
  log: [] as string[],
  /** Per subscribed track: trackId, participant, kind, packetsReceived, bytesReceived, framesDecoded, ... */
  remoteTracks: () => client.getSubscriptionStats(),
  /** Per published track: source, kind, trackId, packetsSent, bytesSent, framesEncoded. */
  localTracks: () => client.getPublishStats(),
  /** Ids of the tiles in the grid (participant identities). */
  tiles: () => grid().tileIds,
  participants: () => [...client.participants.values()].map((p) => ({ identity: p.identity, role: p.role, handRaised: p.handRaised })),
  hands: () => [...client.hands],
};

const client = new ArenaClient();
Object.assign(window, { arena: client, arenaTest, arenaDemo: { createEvent, joinEvent } });

const grid = () => $<ArenaVideoGrid>('grid');
const note = (s: string) => {
  arenaTest.log.push(`${new Date().toISOString()} ${s}`);
  if (arenaTest.log.length > 500) arenaTest.log.shift();
};

function setPhase(p: Phase, text?: string): void {
  arenaTest.phase = p;
  $('status').textContent = text ?? p;
  $('landing').hidden = p !== 'landing';
  $('join').hidden = p !== 'join';
  $('stage').hidden = !(p === 'connecting' || p === 'joined' || p === 'reconnecting' || p === 'disconnected');
}

function showError(e: unknown): void {
  const err = e instanceof ArenaError ? e : new ArenaError('internal', e instanceof Error ? e.message : String(e));
  arenaTest.errors.push({ code: err.code, message: err.message, at: Date.now() });
  note(`error ${err.code}: ${err.message}`);
  const box = $('arena-error');
  box.hidden = false;
  box.dataset.code = err.code;
  box.textContent = `${err.code}: ${err.message}`;
}

function clearError(): void {
  const box = $('arena-error');
  box.hidden = true;
  box.textContent = '';
  delete box.dataset.code;
}

/** Shows an error unless the client has emitted it as 'error' already (the node's refusals, capture failures). */
function showIfNotEmitted(e: unknown): void {
  if (e instanceof ArenaError && e.code !== 'disconnected' && e.code !== 'timeout') return;
  showError(e);
}

/** Runs a UI action; a failure is shown in #arena-error. */
function act(what: string, f: () => Promise<unknown>): void {
  note(what);
  f().catch(showIfNotEmitted);
}

/** Errors of the demo's HTTP calls (codes http_NNN or the body's code) and of connecting. */
function showHttpError(e: unknown): void {
  if (e instanceof ArenaError && !httpErrors.has(e)) return showIfNotEmitted(e);
  showError(e);
}
const httpErrors = new WeakSet<ArenaError>();

async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) {
    let code = `http_${res.status}`;
    let message = text || res.statusText;
    try {
      const j = JSON.parse(text);
      code = j.code ?? j.error ?? code;
      message = j.message ?? message;
    } catch {
      /* plain text */
    }
    const err = new ArenaError(code, message);
    httpErrors.add(err);
    throw err;
  }
  return JSON.parse(text) as T;
}

// ---- the two ways in -----------------------------------------------------------------------------------

async function createEvent(hostName: string, title?: string): Promise<EventCreated> {
  clearError();
  const created = await postJson<EventCreated>('/demo/events', title ? { hostName, title } : { hostName });
  const audienceUrl = new URL(created.audienceUrl || `/?room=${encodeURIComponent(created.room)}`, location.href).href;
  arenaTest.audienceUrl = audienceUrl;
  $<HTMLInputElement>('audience-link').value = audienceUrl;
  $('host-tools').hidden = false;
  $('room-title').textContent = title || created.room;
  history.replaceState(null, '', `/?room=${encodeURIComponent(created.room)}&host=1`);
  remember(created.room, { token: created.hostToken, host: true, audienceUrl, title });
  // Capture first, so the camera and microphone go in the first offer; connect anyway if capture fails.
  try {
    await client.publish({ audio: true, video: true });
  } catch (e) {
    showIfNotEmitted(e);
  }
  await enter(created.room, created.hostToken);
  return { ...created, audienceUrl };
}

async function joinEvent(room: string, name: string): Promise<TokenIssued> {
  clearError();
  const issued = await postJson<TokenIssued>('/demo/tokens', { room, name });
  remember(room, { token: issued.token, host: false });
  $('room-title').textContent = room;
  await enter(room, issued.token);
  return issued;
}

async function enter(room: string, token: string): Promise<void> {
  arenaTest.room = room;
  setPhase('connecting', 'connecting...');
  try {
    await client.connect(defaultWsUrl(), token);
  } catch (e) {
    showIfNotEmitted(e);
    if (client.state === 'disconnected') setPhase('disconnected', 'could not join');
    throw e;
  }
}

/** What a reload of the page needs to come back as the same participant (this tab only: sessionStorage). */
interface Remembered {
  token: string;
  host: boolean;
  audienceUrl?: string;
  title?: string;
}

function remember(room: string, r: Remembered): void {
  try {
    sessionStorage.setItem(`arena.demo.${room}`, JSON.stringify(r));
  } catch {
    /* storage off: a reload starts over */
  }
}

function remembered(room: string): Remembered | null {
  try {
    const v = sessionStorage.getItem(`arena.demo.${room}`);
    return v ? (JSON.parse(v) as Remembered) : null;
  } catch {
    return null;
  }
}

/** A reload: the same token again (the node replaces the old session), the host back on stage. */
async function comeBack(room: string, r: Remembered): Promise<void> {
  if (r.host && r.audienceUrl) {
    $<HTMLInputElement>('audience-link').value = r.audienceUrl;
    arenaTest.audienceUrl = r.audienceUrl;
    $('host-tools').hidden = false;
  }
  if (r.title) $('room-title').textContent = r.title;
  if (r.host) {
    try {
      await client.publish({ audio: true, video: true });
    } catch (e) {
      showIfNotEmitted(e);
    }
  }
  await enter(room, r.token);
}

// ---- the adapter: client events -> components ----------------------------------------------------------

/** Per participant: the tracks we receive, shown as one tile. */
const received = new Map<string, Map<string, MediaStreamTrack>>();

function nameOf(identity: string): string {
  if (identity === client.you?.identity) return client.you.name || identity;
  return client.participants.get(identity)?.name || identity;
}

function redrawTile(identity: string): void {
  const tracks = received.get(identity);
  if (!tracks || tracks.size === 0) {
    received.delete(identity);
    grid().removeTile(identity);
    return;
  }
  // A new MediaStream each time, so that the element takes up the new set of tracks.
  grid().setTile(identity, new MediaStream([...tracks.values()]), { label: nameOf(identity) });
}

function redrawLocalTile(): void {
  const me = client.you?.identity;
  if (!me) return;
  const video = client.localStream.getVideoTracks();
  const published = client.localTracks.length > 0;
  if (!published) {
    grid().removeTile(me);
  } else {
    // Muted: the preview never plays our own microphone back.
    grid().setTile(me, new MediaStream(video), { label: `${nameOf(me)} (you)`, muted: true, mirror: true });
  }
  const mic = client.localTracks.find((t) => t.source === 'microphone');
  const cam = client.localTracks.find((t) => t.source === 'camera');
  const micButton = $<HTMLButtonElement>('mute-mic');
  const camButton = $<HTMLButtonElement>('mute-cam');
  micButton.hidden = !mic;
  camButton.hidden = !cam;
  micButton.textContent = mic?.muted ? 'Unmute microphone' : 'Mute microphone';
  camButton.textContent = cam?.muted ? 'Start camera' : 'Stop camera';
}

function redrawPeople(): void {
  const you = client.you;
  if (!you) return;
  arenaTest.identity = you.identity;
  arenaTest.role = you.role;
  const speaking = new Set(client.activeSpeakers);
  const entries: ParticipantEntry[] = [
    { identity: you.identity, name: you.name, role: you.role, handRaised: you.handRaised, speaking: speaking.has(you.identity), self: true },
    ...[...client.participants.values()].map((p) => ({
      identity: p.identity,
      name: p.name,
      role: p.role,
      handRaised: p.handRaised,
      speaking: speaking.has(p.identity),
    })),
  ];
  const list = $<ArenaParticipantList>('participants');
  list.canManage = you.permissions.admin;
  list.participants = entries;
  const queue = $<ArenaRaiseHand>('hand-queue');
  $('hands-panel').hidden = !you.permissions.admin;
  queue.hands = client.hands.map((identity) => ({ identity, name: nameOf(identity) }));
  const mine = $<ArenaRaiseHand>('my-hand');
  mine.mode = you.role === 'listener' ? 'listener' : 'none';
  mine.raised = you.handRaised;
  $('try-publish').hidden = you.role !== 'listener';
  document.body.dataset.role = you.role;
  for (const identity of received.keys()) grid().setLabel(identity, nameOf(identity));
}

client.on('connected', ({ you, room }) => {
  if (room.title) $('room-title').textContent = room.title;
  note(`joined as ${you.identity} (${you.role})`);
  setPhase('joined', `${you.name} (${you.role})`);
  redrawPeople();
  redrawLocalTile();
});
client.on('participantsChanged', redrawPeople);
client.on('roleChanged', ({ participant, role, local }) => {
  note(`role ${participant} -> ${role}`);
  if (local) {
    $('status').textContent = `${client.you?.name} (${role})`;
    if (role !== 'listener') clearError();
  }
  redrawPeople();
});
client.on('trackSubscribed', (s) => {
  note(`subscribed ${s.trackId} (${s.kind}) of ${s.participant}`);
  let tracks = received.get(s.participant);
  if (!tracks) received.set(s.participant, (tracks = new Map()));
  tracks.set(s.trackId, s.track);
  redrawTile(s.participant);
});
client.on('trackUnsubscribed', (s) => {
  note(`unsubscribed ${s.trackId} of ${s.participant}`);
  received.get(s.participant)?.delete(s.trackId);
  redrawTile(s.participant);
});
client.on('localTracksChanged', redrawLocalTile);
client.on('activeSpeakers', (ids) => {
  grid().setSpeaking(ids);
  redrawPeople();
});
client.on('chat', (m) => $<ArenaChat>('chat').addMessage({ ...m, self: m.from === client.you?.identity }));
client.on('error', (e) => showError(e));
client.on('reconnecting', ({ attempt }) => {
  arenaTest.reconnects += 1;
  setPhase('reconnecting', `reconnecting (attempt ${attempt})...`);
});
client.on('reconnected', ({ resumed }) => {
  if (resumed) arenaTest.resumes += 1;
  note(resumed ? 'resumed' : 'rejoined afresh');
  setPhase('joined', `${client.you?.name} (${client.you?.role})`);
  if (!resumed) {
    for (const identity of [...received.keys()]) grid().removeTile(identity);
    received.clear();
  }
  redrawPeople();
  redrawLocalTile();
});
client.on('disconnected', ({ reason }) => {
  note(`disconnected: ${reason}`);
  setPhase('disconnected', `disconnected (${reason})`);
  grid().clear();
  received.clear();
});

// ---- the adapter: components -> client -----------------------------------------------------------------

function wireControls(): void {
  const stage = $('stage');
  stage.addEventListener('hand-raise', () => act('raise hand', () => client.raiseHand()));
  stage.addEventListener('hand-lower', () => act('lower hand', () => client.lowerHand()));
  stage.addEventListener('hand-approve', (e) => {
    const { identity } = (e as CustomEvent<{ identity: string }>).detail;
    act(`approve ${identity}`, () => client.approve(identity));
  });
  stage.addEventListener('hand-deny', (e) => {
    const { identity } = (e as CustomEvent<{ identity: string }>).detail;
    act(`deny ${identity}`, () => client.lowerHand(identity));
  });
  stage.addEventListener('participant-demote', (e) => {
    const { identity } = (e as CustomEvent<{ identity: string }>).detail;
    act(`move ${identity} to the audience`, () => client.setRole(identity, 'listener'));
  });
  stage.addEventListener('participant-promote', (e) => {
    const { identity } = (e as CustomEvent<{ identity: string }>).detail;
    act(`invite ${identity} to the stage`, () => client.setRole(identity, 'speaker'));
  });
  stage.addEventListener('participant-remove', (e) => {
    const { identity } = (e as CustomEvent<{ identity: string }>).detail;
    act(`remove ${identity}`, () => client.remove(identity));
  });
  stage.addEventListener('chat-send', (e) => {
    const { text } = (e as CustomEvent<{ text: string }>).detail;
    act('chat', () => client.sendChat(text));
  });
  $<ArenaDevicePicker>('devices').addEventListener('device-selected', (e) => {
    const { kind, deviceId } = (e as CustomEvent<{ kind: string; deviceId: string }>).detail;
    if (kind === 'audiooutput') grid().sinkId = deviceId;
    else act(`switch ${kind}`, () => client.switchDevice(kind as 'audioinput' | 'videoinput', deviceId));
  });
  client.on('localTracksChanged', () => void $<ArenaDevicePicker>('devices').refresh());
  $('mute-mic').addEventListener('click', () => {
    const mic = client.localTracks.find((t) => t.source === 'microphone');
    if (mic) act('toggle microphone', () => client.setMuted('microphone', !mic.muted));
  });
  $('mute-cam').addEventListener('click', () => {
    const cam = client.localTracks.find((t) => t.source === 'camera');
    if (cam) act('toggle camera', () => client.setMuted('camera', !cam.muted));
  });
  $('try-publish').addEventListener('click', () => act('try to publish', () => client.publish({ audio: true, video: true })));
  $('leave').addEventListener('click', () => {
    const room = arenaTest.room;
    client.leave();
    if (room) sessionStorage.removeItem(`arena.demo.${room}`);
    location.href = '/';
  });
  // A closed tab is not told to leave: a reload must find its session (the node ends it after the resume window).
  $('copy-link').addEventListener('click', () => {
    const input = $<HTMLInputElement>('audience-link');
    navigator.clipboard?.writeText(input.value).then(
      () => ($('copy-link').textContent = 'Copied'),
      () => {
        input.select();
        document.execCommand('copy');
      },
    );
  });
  $<HTMLFormElement>('create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $<HTMLInputElement>('host-name').value.trim();
    const title = $<HTMLInputElement>('event-title').value.trim();
    if (name) createEvent(name, title || undefined).catch(showHttpError);
  });
  $<HTMLFormElement>('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $<HTMLInputElement>('listener-name').value.trim();
    const room = new URLSearchParams(location.search).get('room');
    if (name && room) joinEvent(room, name).catch(showHttpError);
  });
}

function start(): void {
  wireControls();
  const room = new URLSearchParams(location.search).get('room');
  const known = room ? remembered(room) : null;
  if (room && known) {
    comeBack(room, known).catch(() => {
      /* shown */
    });
  } else if (room && !new URLSearchParams(location.search).has('host')) {
    $('room-title').textContent = room;
    setPhase('join', 'not joined');
  } else {
    setPhase('landing', 'not joined');
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
