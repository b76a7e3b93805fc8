package dev.arena.sfu.room;

import dev.arena.rtc.rtcp.Nack;
import java.util.function.IntUnaryOperator;

/**
 * The feedback state of one subscription: the NACK responder. The base implementation ignores NACKs; the feedback
 * package's {@code NackResponder} goes here, reading the track's {@code PacketHistory}: for each lost sequence
 * number of {@code nack} (in the subscriber's numbering), {@code outToIn} gives the track's number (-1 if
 * unknown), and each packet found goes to {@code sink}, which rewrites and sends it. Single-threaded (the room's loop).
 */
public class SubscriptionFeedback implements AutoCloseable {
    public void onNack(Nack nack, IntUnaryOperator outToIn, RetransmitSink sink, long nowNanos) {}

    @Override
    public void close() {}
}
