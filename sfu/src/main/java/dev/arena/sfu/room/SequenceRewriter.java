package dev.arena.sfu.room;

import dev.arena.rtc.rtp.SequenceNumbers;

/**
 * Maps a source's 16-bit RTP sequence numbers (RFC 3550 section 5.1) onto one outgoing stream whose numbering
 * stays continuous: across {@link #resync()} (pause/resume, later simulcast layer switches) the next packet gets
 * the number after the highest one sent, so the receiver sees no gap and no jump. Arithmetic is modulo 2^16.
 *
 * <p>Single-threaded: owned by one {@link Subscription} on its subscriber's loop. No allocation.
 */
public final class SequenceRewriter {
    private final int firstOut;
    private boolean started;
    private boolean resyncPending = true;
    private int offset;
    // Extended (unwrapped) source numbers, so that a segment can be longer than half the 16-bit circle.
    private long baseIn;
    private long highestIn;
    private int highestOut;

    /** @param firstOut the first outgoing sequence number (random per RFC 3550 in production) */
    public SequenceRewriter(int firstOut) {
        this.firstOut = firstOut & 0xFFFF;
    }

    /** The next packet starts a new source segment: it is numbered right after the highest number sent. */
    public void resync() {
        resyncPending = true;
    }

    /**
     * The outgoing sequence number for {@code in}, or -1 if the packet is from before the last resync (or an
     * {@link #drop} boundary) and so cannot be numbered without colliding.
     */
    public int rewrite(int in) {
        in &= 0xFFFF;
        if (resyncPending) {
            int next = started ? (highestOut + 1) & 0xFFFF : firstOut;
            offset = (next - in) & 0xFFFF;
            baseIn = in;
            highestIn = in;
            highestOut = next;
            started = true;
            resyncPending = false;
            return next;
        }
        long ext = extend(in);
        if (ext < baseIn) {
            return -1;
        }
        int out = (in + offset) & 0xFFFF;
        if (ext > highestIn) {
            highestIn = ext;
            highestOut = out;
        }
        return out;
    }

    /** {@code in} as an extended number, within half the circle of the highest seen. */
    private long extend(int in) {
        return highestIn + SequenceNumbers.diff(in, (int) (highestIn & 0xFFFF));
    }

    /**
     * The packet {@code in} will not be sent (e.g. a payload type the subscriber cannot take). When it is the newest
     * seen, later packets are numbered one lower so the receiver sees no loss; packets before it can no longer be
     * mapped. An older drop leaves a gap, which the receiver treats as loss.
     */
    public void drop(int in) {
        in &= 0xFFFF;
        if (resyncPending) {
            return;
        }
        long ext = extend(in);
        if (ext <= highestIn) {
            return;
        }
        int wouldBe = (in + offset) & 0xFFFF;
        offset = (offset - 1) & 0xFFFF; // the packet after 'in' takes the number 'in' would have had
        highestOut = (wouldBe - 1) & 0xFFFF;
        baseIn = ext + 1;
        highestIn = ext;
    }

    /** The source sequence number that produced {@code out}, or -1 if {@code out} is not from the current segment. */
    public int toIn(int out) {
        if (!started || resyncPending) {
            return -1;
        }
        int in = (out - offset) & 0xFFFF;
        long ext = extend(in);
        if (ext < baseIn || ext > highestIn) {
            return -1;
        }
        return in;
    }

    /** The highest outgoing number sent so far (meaningless before the first packet). */
    public int highestOut() {
        return highestOut;
    }

    public boolean started() {
        return started;
    }
}
