#!/usr/bin/python3
"""One aiortc peer for Arena's tests, driven over stdin/stdout with one JSON object per line.

Run with Debian's interpreter: /usr/bin/python3 aiortc_peer.py [--audio] [--video-direction sendonly|sendrecv]
    [--width 320 --height 240 --fps 15]

stdout (one JSON object a line):
  {"event": "offer", "sdp": ...}                  first, once all candidates are gathered (aiortc does not trickle)
  {"event": "state", "connectionState": ..., "iceConnectionState": ...}   on each change
  {"event": "stats", ...counters...}              in reply to {"cmd": "stats"}
  {"event": "error", "message": ...}              then exit code 1
  {"event": "closed"}                             in reply to {"cmd": "close"}, then exit
stdin (one JSON object a line):
  {"type": "answer", "sdp": ...}                  exactly once, after the offer
  {"cmd": "stats"} | {"cmd": "close"}             end of input also closes
Candidates: aioice never gathers 127.0.0.1 by itself; it is patched to gather 127.0.0.1 only.
Counters: PLIs received by our senders, VP8 keyframes encoded (keyframe bit of the first partition of each frame),
frames encoded, RTP packets and frames received on each track that we get.
"""
import argparse, asyncio, fractions, json, math, os, sys, threading, time, traceback

import numpy as np
from av import VideoFrame, AudioFrame

import aioice.ice
from aiortc import RTCPeerConnection, RTCConfiguration, RTCSessionDescription, MediaStreamTrack, RTCRtpSender
from aiortc.mediastreams import VIDEO_TIME_BASE, VIDEO_CLOCK_RATE, AUDIO_PTIME
from aiortc.rtp import RtcpPsfbPacket, RTCP_PSFB_PLI
from aiortc.codecs import vpx
from aiortc.rtcrtpreceiver import RTCRtpReceiver

ap = argparse.ArgumentParser()
ap.add_argument('--audio', action='store_true', help='also send a sine tone (Opus)')
ap.add_argument('--video-direction', default='sendonly', choices=['sendonly', 'sendrecv'])
ap.add_argument('--width', type=int, default=320)
ap.add_argument('--height', type=int, default=240)
ap.add_argument('--fps', type=int, default=15)
args = ap.parse_args()

# Only 127.0.0.1: tests run inside a network namespace where nothing else exists, and must not leave the machine.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ['127.0.0.1']

if args.audio:
    # aiortc 1.4 gives id 2 to ssrc-audio-level (audio) and abs-send-time (video) (upstream issues 745/778);
    # with BUNDLE that breaks the receiver. Give audio-level its own id.
    from aiortc.codecs import HEADER_EXTENSIONS
    for e in HEADER_EXTENSIONS['audio']:
        if e.uri.endswith('ssrc-audio-level'):
            e.id = 3

counters = {'pliReceived': 0, 'keyframesEncoded': 0, 'framesEncoded': 0, 'forcedKeyframes': 0,
            'rtpReceived': {}, 'framesReceived': {}}
lock = threading.Lock()  # the encoder runs on an executor thread


def is_vp8_keyframe(payload):
    """RFC 7741 section 4.2/4.3: VP8 payload descriptor, then the VP8 payload header whose P bit is 0 on a keyframe."""
    if not payload:
        return False
    b0 = payload[0]
    if not (b0 & 0x10) or (b0 & 0x0F) != 0:  # S=1 and PID=0: start of the first partition
        return False
    i = 1
    if b0 & 0x80:  # X
        if len(payload) <= i:
            return False
        x = payload[i]
        i += 1
        if x & 0x80:  # I: picture id, 7 or 15 bits
            if len(payload) <= i:
                return False
            i += 2 if payload[i] & 0x80 else 1
        if x & 0x40:  # L
            i += 1
        if x & 0x30:  # T or K
            i += 1
    return len(payload) > i and (payload[i] & 0x01) == 0


_orig_encode = vpx.Vp8Encoder.encode


def _counting_encode(self, frame, force_keyframe=False):
    payloads, timestamp = _orig_encode(self, frame, force_keyframe)
    with lock:
        counters['framesEncoded'] += 1
        if force_keyframe:
            counters['forcedKeyframes'] += 1
        if payloads and is_vp8_keyframe(payloads[0]):
            counters['keyframesEncoded'] += 1
    return payloads, timestamp


vpx.Vp8Encoder.encode = _counting_encode

_orig_sender_rtcp = RTCRtpSender._handle_rtcp_packet


async def _counting_sender_rtcp(self, packet):
    if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_PLI:
        with lock:
            counters['pliReceived'] += 1
    return await _orig_sender_rtcp(self, packet)


RTCRtpSender._handle_rtcp_packet = _counting_sender_rtcp

_orig_receiver_rtp = RTCRtpReceiver._handle_rtp_packet


async def _counting_receiver_rtp(self, packet, arrival_time_ms):
    kind = getattr(self, "_RTCRtpReceiver__kind", "unknown")
    with lock:
        counters['rtpReceived'][kind] = counters['rtpReceived'].get(kind, 0) + 1
    return await _orig_receiver_rtp(self, packet, arrival_time_ms)


RTCRtpReceiver._handle_rtp_packet = _counting_receiver_rtp


class SyntheticVideo(MediaStreamTrack):
    """Moving colour bars, paced at --fps."""
    kind = 'video'

    def __init__(self, w, h, fps):
        super().__init__()
        self.w, self.h, self.fps, self.n, self.t0 = w, h, fps, 0, None
        x = np.arange(w, dtype=np.uint16)
        self.base = np.zeros((h, w, 3), np.uint8)
        for c in range(3):
            self.base[:, :, c] = ((x * (c + 1) * 255 // w) % 256).astype(np.uint8)

    async def recv(self):
        if self.t0 is None:
            self.t0 = time.time()
        delay = self.t0 + self.n / self.fps - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        frame = VideoFrame.from_ndarray(np.roll(self.base, self.n * 4, axis=1), format='rgb24')
        frame.pts = int(self.n * VIDEO_CLOCK_RATE / self.fps)
        frame.time_base = VIDEO_TIME_BASE
        self.n += 1
        return frame


class SineAudio(MediaStreamTrack):
    kind = 'audio'

    def __init__(self):
        super().__init__()
        self.rate, self.samples, self.pts, self.t0 = 48000, int(48000 * AUDIO_PTIME), 0, None

    async def recv(self):
        if self.t0 is None:
            self.t0 = time.time()
        delay = self.t0 + self.pts / self.rate - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        t = (np.arange(self.samples) + self.pts) / self.rate
        data = (np.sin(2 * math.pi * 440 * t) * 8000).astype(np.int16).reshape(1, -1)
        f = AudioFrame.from_ndarray(data, format='s16', layout='mono')
        f.sample_rate, f.pts, f.time_base = self.rate, self.pts, fractions.Fraction(1, self.rate)
        self.pts += self.samples
        return f


def emit(obj):
    try:
        sys.stdout.write(json.dumps(obj) + '\n')
        sys.stdout.flush()
    except OSError:  # the Java side is gone: nobody to tell
        os._exit(1)


async def read_line():
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return json.loads(line) if line.strip() else None


async def main():
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    video = SyntheticVideo(args.width, args.height, args.fps)

    def report_state():
        emit({'event': 'state', 'connectionState': pc.connectionState, 'iceConnectionState': pc.iceConnectionState})

    pc.on('connectionstatechange', report_state)
    pc.on('iceconnectionstatechange', report_state)

    async def consume(track):
        while True:
            try:
                await track.recv()
            except Exception:
                return
            with lock:
                counters['framesReceived'][track.kind] = counters['framesReceived'].get(track.kind, 0) + 1

    @pc.on('track')
    def on_track(track):
        asyncio.ensure_future(consume(track))

    vt = pc.addTransceiver(video, direction=args.video_direction)
    caps = RTCRtpSender.getCapabilities('video').codecs
    vt.setCodecPreferences([c for c in caps if c.mimeType.lower() in ('video/vp8', 'video/rtx')])
    if args.audio:
        pc.addTransceiver(SineAudio(), direction='sendonly')

    await pc.setLocalDescription(await pc.createOffer())
    emit({'event': 'offer', 'sdp': pc.localDescription.sdp})

    answer = await read_line()
    if answer is None:
        await pc.close()
        return True
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer['sdp'], type='answer'))

    while True:
        msg = await read_line()
        if msg is None or msg.get('cmd') == 'close':
            await pc.close()
            emit({'event': 'closed'})
            return True
        if msg.get('cmd') == 'stats':
            out = {'event': 'stats', 'connectionState': pc.connectionState,
                   'iceConnectionState': pc.iceConnectionState, 'framesGenerated': video.n}
            st = await pc.getStats()
            sent = {}
            for s in st.values():
                if s.type == 'outbound-rtp':
                    sent[s.kind] = sent.get(s.kind, 0) + s.packetsSent
            out['packetsSent'] = sent
            with lock:
                out.update(json.loads(json.dumps(counters)))
            emit(out)


if __name__ == '__main__':
    ok = False
    try:
        ok = asyncio.run(main())
    except Exception as e:
        traceback.print_exc()
        emit({'event': 'error', 'message': repr(e)})
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if ok else 1)  # hard exit: aiortc can hang on leftover tasks/threads
