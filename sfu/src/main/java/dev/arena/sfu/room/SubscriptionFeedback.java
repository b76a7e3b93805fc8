package dev.arena.sfu.room;

import dev.arena.rtc.rtcp.Nack;
import java.util.function.IntUnaryOperator;

/**
 * The feedback state of one subscription: the NACK responder. The base implementation ignores NACKs; the feedback
 * package's {@code NackResponder} goes here, reading the track's {@code PacketHistory}: for each lost sequence
 * number of {@code nack} (in the subscriber's numbering), {@code outToIn} gives the track's number (-1 if
 * unknown), and each packet found goes to {@code sink}, which rewrites and sends it. On the loop of the track's publisher (where the track's history is written).
 */
public class SubscriptionFeedback implements AutoCloseable {
    public void onNack(Nack nack, IntUnaryOperator outToIn, RetransmitSink sink, long nowNanos) {}

    /**
     * One lost packet of a NACK that came in on another loop, its number already mapped: {@code outSeq} in the
     * subscriber's numbering, {@code inSeq} the track's (-1 if unknown). On the publisher's loop.
     */
    public void onLost(int outSeq, int inSeq, RetransmitSink sink, long nowNanos) {}

    @Override
    public void close() {}
}
