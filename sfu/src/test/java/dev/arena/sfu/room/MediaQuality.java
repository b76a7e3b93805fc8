package dev.arena.sfu.room;

import dev.arena.rtc.peers.ChromiumPeer;
import java.util.List;
import java.util.Map;

/**
 * getStats figures of a {@link ChromiumPeer}'s page that its harness does not collect: the video receiver's
 * freezes and losses, the video sender's rate and retransmissions, the send-side bandwidth estimate. Call
 * {@link #capturePeerConnections} before {@code createOffer}: it makes the page's RTCPeerConnections reachable
 * (the newest is the one measured).
 */
final class MediaQuality {
    private MediaQuality() {}

    /** One inbound-rtp video entry (0 when absent). */
    record Inbound(long freezeCount, double totalFreezesDuration, long framesDecoded, long framesDropped,
                   long keyFramesDecoded, long packetsReceived, long packetsLost, long nackCount, long pliCount,
                   long frameWidth, long frameHeight) {
        /** The change since {@code before} (the frame size is this one's). */
        Inbound minus(Inbound before) {
            return new Inbound(freezeCount - before.freezeCount, totalFreezesDuration - before.totalFreezesDuration,
                    framesDecoded - before.framesDecoded, framesDropped - before.framesDropped,
                    keyFramesDecoded - before.keyFramesDecoded, packetsReceived - before.packetsReceived,
                    packetsLost - before.packetsLost, nackCount - before.nackCount, pliCount - before.pliCount,
                    frameWidth, frameHeight);
        }

        @Override
        public String toString() {
            return String.format("freezeCount=%d totalFreezesDuration=%.2fs framesDecoded=%d framesDropped=%d"
                            + " keyFramesDecoded=%d packetsReceived=%d packetsLost=%d nackCount=%d pliCount=%d %dx%d",
                    freezeCount, totalFreezesDuration, framesDecoded, framesDropped, keyFramesDecoded, packetsReceived,
                    packetsLost, nackCount, pliCount, frameWidth, frameHeight);
        }
    }

    /**
     * One outbound-rtp video entry (summed over entries; frame size and rate the largest) and the nominated pair's
     * availableOutgoingBitrate; totalEncodeTime in seconds.
     */
    record Outbound(long bytesSent, long packetsSent, long retransmittedPacketsSent, long nackCount, long pliCount,
                    long frameWidth, long frameHeight, String qualityLimitationReason, double availableOutgoingBitrate,
                    double targetBitrate, long timestampMs, long framesEncoded, double framesPerSecond,
                    double totalEncodeTime) {
        /** Bits per second of video payload and headers sent between {@code before} and this one. */
        double bitrateSince(Outbound before) {
            long ms = timestampMs - before.timestampMs;
            return ms <= 0 ? 0 : (bytesSent - before.bytesSent) * 8000.0 / ms;
        }

        /** Mean encode time per frame (ms) between {@code before} and this one, 0 if no frame was encoded. */
        double encodeMillisSince(Outbound before) {
            long frames = framesEncoded - before.framesEncoded;
            return frames <= 0 ? 0 : (totalEncodeTime - before.totalEncodeTime) * 1000 / frames;
        }
    }

    private static final String CAPTURE_PCS = "(() => { if (window.__pcs) return true;"
            + " const O = window.RTCPeerConnection; window.__pcs = [];"
            + " window.RTCPeerConnection = function(...a) { const p = new O(...a); window.__pcs.push(p); return p; };"
            + " window.RTCPeerConnection.prototype = O.prototype; return true; })()";

    private static final String PC = "window.__pcs[window.__pcs.length - 1]";

    private static final String INBOUND = PC + ".getStats().then(r => { let v = {}; r.forEach(s => {"
            + " if (s.type === 'inbound-rtp' && s.kind === 'video') v = {freezeCount: s.freezeCount || 0,"
            + " totalFreezesDuration: s.totalFreezesDuration || 0, framesDecoded: s.framesDecoded || 0,"
            + " framesDropped: s.framesDropped || 0, keyFramesDecoded: s.keyFramesDecoded || 0,"
            + " packetsReceived: s.packetsReceived || 0, packetsLost: s.packetsLost || 0, nackCount: s.nackCount || 0,"
            + " pliCount: s.pliCount || 0, frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0}; });"
            + " return v; })";

    private static final String OUTBOUND = PC + ".getStats().then(r => { const v = {bytesSent: 0, packetsSent: 0,"
            + " retransmittedPacketsSent: 0, nackCount: 0, pliCount: 0, frameWidth: 0, frameHeight: 0, reason: '',"
            + " aob: -1, target: 0, ts: Date.now(), framesEncoded: 0, fps: 0, encodeTime: 0}; r.forEach(s => {"
            + " if (s.type === 'outbound-rtp' && s.kind === 'video') { v.bytesSent += s.bytesSent || 0;"
            + " v.packetsSent += s.packetsSent || 0; v.retransmittedPacketsSent += s.retransmittedPacketsSent || 0;"
            + " v.nackCount += s.nackCount || 0; v.pliCount += s.pliCount || 0;"
            + " v.framesEncoded += s.framesEncoded || 0; v.fps = Math.max(v.fps, s.framesPerSecond || 0);"
            + " v.encodeTime += s.totalEncodeTime || 0;"
            + " v.frameWidth = Math.max(v.frameWidth, s.frameWidth || 0);"
            + " v.frameHeight = Math.max(v.frameHeight, s.frameHeight || 0);"
            + " v.reason = s.qualityLimitationReason || ''; v.target += s.targetBitrate || 0; v.ts = s.timestamp; }"
            + " if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate)"
            + " v.aob = s.availableOutgoingBitrate;"
            + " }); return v; })";

    /** Makes the page's RTCPeerConnections reachable for these stats; call before createOffer. */
    static void capturePeerConnections(ChromiumPeer chrome) {
        chrome.evaluate(CAPTURE_PCS);
    }

    /** Makes the page's next getUserMedia ask for exactly {@code width} x {@code height} video. */
    static void videoSize(ChromiumPeer chrome, int width, int height) {
        chrome.evaluate("(() => { const md = navigator.mediaDevices; const g = md.getUserMedia.bind(md);"
                + " md.getUserMedia = (c) => g(Object.assign({}, c, c && c.video ? {video: {width: {exact: " + width
                + "}, height: {exact: " + height + "}}} : {})); return true; })()");
    }

    /**
     * Marks the page's next camera track {@code contentHint = 'detail'}, so that Chromium keeps its resolution
     * under low bandwidth (degradation preference maintain-resolution) instead of starting small and stepping up.
     */
    static void maintainResolution(ChromiumPeer chrome) {
        chrome.evaluate("(() => { const md = navigator.mediaDevices; const g = md.getUserMedia.bind(md);"
                + " md.getUserMedia = (c) => g(c).then(s => {"
                + " s.getVideoTracks().forEach(t => t.contentHint = 'detail'); return s; }); return true; })()");
    }

    /** Closes the page's peer connection and local tracks, so that the next createOffer starts afresh. */
    static void closePage(ChromiumPeer chrome) {
        chrome.evaluate("window.arena.close()");
    }

    /**
     * Milliseconds from the page's last "ice connected" to its last "connection connected" event (the DTLS
     * handshake, mostly), or -1.
     */
    static long handshakeMillis(ChromiumPeer chrome) {
        long ice = -1;
        long connected = -1;
        for (Object o : (List<?>) chrome.evaluate("window.arena.events()")) {
            if (o instanceof Map<?, ?> m && m.get("t") instanceof Number t) {
                if ("ice connected".equals(m.get("e"))) {
                    ice = t.longValue();
                } else if ("connection connected".equals(m.get("e"))) {
                    connected = t.longValue();
                }
            }
        }
        return ice < 0 || connected < ice ? -1 : connected - ice;
    }

    static Inbound inbound(ChromiumPeer chrome) {
        Map<?, ?> m = (Map<?, ?>) chrome.evaluate(INBOUND);
        return new Inbound(lng(m, "freezeCount"), dbl(m, "totalFreezesDuration"), lng(m, "framesDecoded"),
                lng(m, "framesDropped"), lng(m, "keyFramesDecoded"), lng(m, "packetsReceived"), lng(m, "packetsLost"),
                lng(m, "nackCount"), lng(m, "pliCount"), lng(m, "frameWidth"), lng(m, "frameHeight"));
    }

    static Outbound outbound(ChromiumPeer chrome) {
        Map<?, ?> m = (Map<?, ?>) chrome.evaluate(OUTBOUND);
        return new Outbound(lng(m, "bytesSent"), lng(m, "packetsSent"), lng(m, "retransmittedPacketsSent"),
                lng(m, "nackCount"), lng(m, "pliCount"), lng(m, "frameWidth"), lng(m, "frameHeight"),
                String.valueOf(m.get("reason")), dbl(m, "aob"), dbl(m, "target"), (long) dbl(m, "ts"),
                lng(m, "framesEncoded"), dbl(m, "fps"), dbl(m, "encodeTime"));
    }

    private static long lng(Map<?, ?> m, String key) {
        return m != null && m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static double dbl(Map<?, ?> m, String key) {
        return m != null && m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
