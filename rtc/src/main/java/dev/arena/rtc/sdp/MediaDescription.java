package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One media section: {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...} (RFC 8866 section 5.14) and
 * the lines under it, in order and verbatim ({@link #lines()}). Typed accessors read the attributes WebRTC uses
 * (JSEP, RFC 8829); everything else (unknown attributes, {@code c=}, {@code b=}) stays in {@link #lines()} and is
 * written back unchanged. Accessors here read this section only; {@link SessionDescription#iceUfragFor} and
 * friends fall back to the session level.
 */
public final class MediaDescription extends AttributeLines<MediaDescription> {
    private String media;
    private int port;
    private int portCount;
    private String protocol;
    private final List<String> formats;

    /** @param portCount the {@code /<number of ports>} part, or -1 when absent */
    public MediaDescription(String media, int port, int portCount, String protocol, List<String> formats) {
        this.media = Objects.requireNonNull(media);
        this.port = port;
        this.portCount = portCount;
        this.protocol = Objects.requireNonNull(protocol);
        this.formats = new ArrayList<>(formats);
    }

    public String media() {
        return media;
    }

    public void setMedia(String media) {
        this.media = Objects.requireNonNull(media);
    }

    public int port() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    /** The {@code /<number of ports>} of the m= line, -1 when absent. */
    public int portCount() {
        return portCount;
    }

    public void setPortCount(int portCount) {
        this.portCount = portCount;
    }

    public String protocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = Objects.requireNonNull(protocol);
    }

    /** The fmt list of the m= line (mutable): payload types for RTP, e.g. "webrtc-datachannel" for SCTP. */
    public List<String> formats() {
        return formats;
    }

    @Override
    MediaDescription self() {
        return this;
    }

    // ---- generic attribute access (the rest in AttributeLines)

    /** Removes all attributes of that name; returns how many. */
    public int removeAttributes(String name) {
        int before = lines.size();
        lines.removeIf(l -> l.isAttribute(name));
        return before - lines.size();
    }

    // ---- JSEP accessors

    /** {@code a=mid} (RFC 9143 section 7.2, RFC 5888), null when absent. */
    public String mid() {
        return stripped("mid");
    }

    /** The direction attribute, SENDRECV when none is given (RFC 8866 section 6.7). */
    public Direction direction() {
        for (SdpLine l : lines) {
            if (l.isAttribute()) {
                Direction d = Direction.fromAttribute(l.name());
                if (d != null) {
                    return d;
                }
            }
        }
        return Direction.SENDRECV;
    }

    /** Replaces the direction attribute in place (or appends one). */
    public void setDirection(Direction d) {
        for (int i = 0; i < lines.size(); i++) {
            SdpLine l = lines.get(i);
            if (l.isAttribute() && Direction.fromAttribute(l.name()) != null) {
                lines.set(i, SdpLine.attribute(d.attributeName(), null));
                return;
            }
        }
        lines.add(SdpLine.attribute(d.attributeName(), null));
    }

    /** {@code a=bundle-only} (RFC 9143 section 6). */
    public boolean bundleOnly() {
        return hasAttribute("bundle-only");
    }

    /** Port 0 without {@code a=bundle-only}: the section is rejected or removed (RFC 8829 section 5.2.2). */
    public boolean isRejected() {
        return port == 0 && !bundleOnly();
    }

    /** An SCTP data-channel section: {@code m=application ... UDP/DTLS/SCTP webrtc-datachannel} (RFC 8841). */
    public boolean isDataChannel() {
        return "application".equals(media) && protocol.toUpperCase(java.util.Locale.ROOT).contains("SCTP");
    }

    /** True for an RTP profile (RTP/AVP, UDP/TLS/RTP/SAVPF, ...). */
    public boolean isRtp() {
        return protocol.toUpperCase(java.util.Locale.ROOT).contains("RTP/");
    }

    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    public boolean rtcpRsize() {
        return hasAttribute("rtcp-rsize");
    }

    /** The payload types of the m= line (RTP sections); formats that are not numbers are skipped. */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>(formats.size());
        for (String f : formats) {
            try {
                out.add(Sdp.integer(f, 0, 127, "fmt"));
            } catch (SdpParseException e) {
                // not a payload type
            }
        }
        return out;
    }

    public List<Rtpmap> rtpmaps() {
        return Attributes.typed(lines, "rtpmap", Rtpmap::parse);
    }

    /** The rtpmap of a payload type, null when absent. */
    public Rtpmap rtpmap(int pt) {
        for (Rtpmap r : rtpmaps()) {
            if (r.payloadType() == pt) {
                return r;
            }
        }
        return null;
    }

    public List<Fmtp> fmtps() {
        return Attributes.typed(lines, "fmtp", Fmtp::parse);
    }

    /** The fmtp of a payload type, null when absent. */
    public Fmtp fmtp(int pt) {
        String p = Integer.toString(pt);
        for (Fmtp f : fmtps()) {
            if (f.format().equals(p)) {
                return f;
            }
        }
        return null;
    }

    public List<RtcpFb> rtcpFeedback() {
        return Attributes.typed(lines, "rtcp-fb", RtcpFb::parse);
    }

    /** rtcp-fb lines that apply to a payload type (its own and the "*" ones). */
    public List<RtcpFb> rtcpFeedback(int pt) {
        return rtcpFeedback().stream().filter(f -> f.appliesTo(pt)).toList();
    }

    public List<Extmap> extmaps() {
        return Attributes.typed(lines, "extmap", Extmap::parse);
    }

    /** The extmap with that URI, null when absent. */
    public Extmap extmap(String uri) {
        for (Extmap e : extmaps()) {
            if (e.uri().equals(uri)) {
                return e;
            }
        }
        return null;
    }

    /** {@code a=msid}, null when absent. */
    public Msid msid() {
        return first(msids());
    }

    public List<Msid> msids() {
        return Attributes.typed(lines, "msid", Msid::parse);
    }

    public List<Ssrc> ssrcs() {
        return Attributes.typed(lines, "ssrc", Ssrc::parse);
    }

    /** Distinct SSRC ids of the a=ssrc lines, in order of first appearance. */
    public List<Long> ssrcIds() {
        return ssrcs().stream().map(Ssrc::ssrc).distinct().toList();
    }

    public List<SsrcGroup> ssrcGroups() {
        return Attributes.typed(lines, "ssrc-group", SsrcGroup::parse);
    }

    public List<Rid> rids() {
        return Attributes.typed(lines, "rid", Rid::parse);
    }

    /** {@code a=simulcast}, null when absent. */
    public Simulcast simulcast() {
        return first(Attributes.typed(lines, "simulcast", Simulcast::parse));
    }

    public List<Candidate> candidates() {
        return Attributes.typed(lines, "candidate", Candidate::parse);
    }

    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    /** {@code a=sctp-port} (RFC 8841 section 5), -1 when absent. */
    public int sctpPort() {
        String v = attribute("sctp-port");
        try {
            return v == null ? -1 : Sdp.integer(v.strip(), 0, 65535, "a=sctp-port");
        } catch (SdpParseException e) {
            return -1;
        }
    }

    /** {@code a=max-message-size} (RFC 8841 section 6), -1 when absent. */
    public long maxMessageSize() {
        String v = attribute("max-message-size");
        try {
            return v == null ? -1 : Sdp.number(v.strip(), 0, Long.MAX_VALUE / 10, "a=max-message-size");
        } catch (SdpParseException e) {
            return -1;
        }
    }

    /** The m= line value (after "m="). */
    public String mediaLine() {
        StringBuilder b = new StringBuilder(media).append(' ').append(port);
        if (portCount >= 0) {
            b.append('/').append(portCount);
        }
        b.append(' ').append(protocol);
        for (String f : formats) {
            b.append(' ').append(f);
        }
        return b.toString();
    }

    void write(StringBuilder out) {
        out.append("m=").append(mediaLine()).append("\r\n");
        writeLines(out);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        write(b);
        return b.toString();
    }
}
