package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A session description (RFC 8866) as WebRTC uses it (JSEP, RFC 8829; unified plan). {@link #parse(String)} reads
 * it, {@link #toString()} writes it back with CRLF line endings: every line that the model does not rewrite is
 * kept verbatim and in order, so parse-then-write returns the same text. The session part is
 * {@code v=}, {@code o=}, {@code s=} and then {@link #lines()} ({@code t=}, {@code c=}, {@code a=}, ...); each
 * {@code m=} starts a {@link MediaDescription}.
 *
 * <p>Media-level ICE and DTLS attributes fall back to the session level: {@link #iceUfragFor},
 * {@link #icePwdFor}, {@link #iceOptionsFor}, {@link #fingerprintsFor}, {@link #setupFor}.
 */
public final class SessionDescription extends AttributeLines<SessionDescription> {
    private String version = "0";
    private Origin origin;
    private String sessionName = "-";
    private final List<MediaDescription> media = new ArrayList<>();

    public SessionDescription(Origin origin) {
        this.origin = Objects.requireNonNull(origin);
    }

    /** Parses with {@link SdpLimits#DEFAULT}. */
    public static SessionDescription parse(String sdp) throws SdpParseException {
        return SdpParser.parse(sdp, SdpLimits.DEFAULT);
    }

    public static SessionDescription parse(String sdp, SdpLimits limits) throws SdpParseException {
        return SdpParser.parse(sdp, limits);
    }

    /** The {@code v=} value ("0"). */
    public String version() {
        return version;
    }

    void setVersion(String version) {
        this.version = version;
    }

    public Origin origin() {
        return origin;
    }

    public void setOrigin(Origin origin) {
        this.origin = Objects.requireNonNull(origin);
    }

    public String sessionName() {
        return sessionName;
    }

    public void setSessionName(String sessionName) {
        this.sessionName = Objects.requireNonNull(sessionName);
    }

    @Override
    SessionDescription self() {
        return this;
    }

    /** The media sections in order (mutable). */
    public List<MediaDescription> media() {
        return media;
    }

    /** The media section with that mid, null when none. */
    public MediaDescription mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (mid.equals(m.mid())) {
                return m;
            }
        }
        return null;
    }

    /** The mids of all sections in order (null for a section without a=mid). */
    public List<String> mids() {
        List<String> out = new ArrayList<>(media.size());
        for (MediaDescription m : media) {
            out.add(m.mid());
        }
        return out;
    }

    public List<Group> groups() {
        return Attributes.typed(lines, "group", Group::parse);
    }

    /** The mids of the first {@code a=group:BUNDLE}, empty when there is none (RFC 9143). */
    public List<String> bundleMids() {
        for (Group g : groups()) {
            if (g.isBundle()) {
                return g.mids();
            }
        }
        return List.of();
    }

    /** {@code a=ice-lite} at session level (RFC 8839 section 5.3). */
    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    /** {@code a=extmap-allow-mixed} at session level (RFC 8285 section 6). */
    public boolean extmapAllowMixed() {
        return hasAttribute("extmap-allow-mixed");
    }

    /** ice-ufrag of a section, else of the session, else null. */
    public String iceUfragFor(MediaDescription m) {
        String v = m.iceUfrag();
        return v != null ? v : iceUfrag();
    }

    /** ice-pwd of a section, else of the session, else null. */
    public String icePwdFor(MediaDescription m) {
        String v = m.icePwd();
        return v != null ? v : icePwd();
    }

    /** ice-options of a section, else of the session. */
    public List<String> iceOptionsFor(MediaDescription m) {
        List<String> v = m.iceOptions();
        return !v.isEmpty() ? v : iceOptions();
    }

    /** Fingerprints of a section, else of the session (RFC 8122 section 5). */
    public List<Fingerprint> fingerprintsFor(MediaDescription m) {
        List<Fingerprint> v = m.fingerprints();
        return !v.isEmpty() ? v : fingerprints();
    }

    /** The first fingerprint that applies to a section, null when none. */
    public Fingerprint fingerprintFor(MediaDescription m) {
        return first(fingerprintsFor(m));
    }

    /** a=setup of a section, else of the session, else null. */
    public Setup setupFor(MediaDescription m) {
        Setup v = m.setup();
        return v != null ? v : setup();
    }

    /** Writes the description with CRLF line endings. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(1024 + media.size() * 2048);
        b.append("v=").append(version).append("\r\n");
        b.append("o=").append(origin).append("\r\n");
        b.append("s=").append(sessionName).append("\r\n");
        writeLines(b);
        for (MediaDescription m : media) {
            m.write(b);
        }
        return b.toString();
    }
}
