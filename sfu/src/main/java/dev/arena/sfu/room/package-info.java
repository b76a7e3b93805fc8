/**
 * Rooms, participants, published tracks and subscriptions, and the forwarding path.
 *
 * <pre>
 * Room ── Participant (one RtcTransport, through a PacketSink)
 *           ├─ Track[]         published sources, by SSRC          (Room: track -> subscriptions)
 *           └─ Subscription[]  tracks delivered to it, by our SSRC (Subscription.track(): subscription -> track)
 *
 * publisher transport.onRtp (publisher's loop) -> Forwarder: track by SSRC -> TrackFeedback.onPacket
 *    -> for each Fanout group (the track's subscriptions on one loop):
 *         this loop:  for each Subscription: copy to the loop's scratch, rewrite SSRC/seq/ts/PT/extension ids
 *                     (SequenceRewriter, TimestampRewriter), subscriber transport.sendRtp (protect in place,
 *                     flushed per batch)
 *         other loop: one copy into the RoomLoop hand-off for that loop, posted once per read batch; there, the
 *                     same per-subscription work
 * subscriber PLI/FIR for our SSRC -> TrackFeedback.tryKeyframeRequest -> PLI to the publisher's SSRC
 * subscriber NACK -> SubscriptionFeedback.onNack(outToIn, RetransmitSink)
 * </pre>
 *
 * {@link dev.arena.sfu.room.RoomSdp} turns an offer and what the participant has into
 * {@link dev.arena.sfu.room.TrackSpec}s and {@link dev.arena.sfu.room.SubscriberSpec}s to add, tracks and
 * subscriptions to remove, and the answer; {@link dev.arena.sfu.room.RoomGateway} negotiates first offers and
 * re-offers on a {@code TransportServer} and holds the stage controls (unpublish all, mute, leave). The feedback package plugs in through
 * {@link dev.arena.sfu.room.FeedbackFactory} (per track, per subscription, per participant); the base classes
 * are its null objects.
 *
 * <p>Threading (see {@link dev.arena.sfu.room.Room}): control work on the room's home loop, a publisher's receive
 * work on its loop, the send work for a subscriber on its loop; the packet path takes no lock and reads immutable
 * arrays published through volatile fields; no allocation per packet once warm on one loop (see
 * ForwardingAllocationTest), one copy per target loop per packet across loops (see {@link dev.arena.sfu.room.RoomLoop}).
 * A room without a home loop (tests) runs everything on the caller's thread. Drops are counted by
 * {@link dev.arena.sfu.room.ForwardDrop}.
 */
package dev.arena.sfu.room;
