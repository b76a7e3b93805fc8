package dev.arena.rtc.rtcp;

/** What {@link RtcpReader#next()} found. */
public enum RtcpType {
    /** Sender report, PT 200. */
    SR,
    /** Receiver report, PT 201. */
    RR,
    /** Source description, PT 202. */
    SDES,
    /** Goodbye, PT 203. */
    BYE,
    /** Application-defined, PT 204. */
    APP,
    /** Generic NACK, PT 205 FMT 1. */
    NACK,
    /** Transport-wide congestion control feedback, PT 205 FMT 15. */
    TRANSPORT_CC,
    /** Another transport-layer feedback message (PT 205), header checked only. */
    RTPFB,
    /** Picture loss indication, PT 206 FMT 1. */
    PLI,
    /** Full intra request, PT 206 FMT 4. */
    FIR,
    /** Receiver estimated maximum bitrate, PT 206 FMT 15 with "REMB". */
    REMB,
    /** Another payload-specific feedback message (PT 206), header checked only. */
    PSFB,
    /** Extended report, PT 207 (RFC 3611), header checked only. */
    XR,
    /** Another packet type in 192..223, header checked only. */
    UNKNOWN,
    /** No more packets in the compound. */
    END
}
