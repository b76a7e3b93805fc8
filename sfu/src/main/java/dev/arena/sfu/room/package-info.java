/**
 * Rooms, participants, published tracks and subscriptions, and the forwarding path.
 *
 * <pre>
 * Room ── Participant (one RtcTransport, through a PacketSink)
 *           ├─ Track[]         published sources, by SSRC          (Room: track -> subscriptions)
 *           └─ Subscription[]  tracks delivered to it, by our SSRC (Subscription.track(): subscription -> track)
 *
 * publisher transport.onRtp -> Forwarder: track by SSRC -> TrackFeedback.onPacket
 *    -> for each Subscription: copy to the loop's scratch, rewrite SSRC/seq/ts/PT/extension ids
 *       (SequenceRewriter, TimestampRewriter), subscriber transport.sendRtp (protect in place, flushed per batch)
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
 * <p>Threading: everything here is single-threaded, owned by the event loop of the room's transports; no locks,
 * no allocation per packet once warm (see ForwardingAllocationTest). Drops are counted by
 * {@link dev.arena.sfu.room.ForwardDrop}.
 */
package dev.arena.sfu.room;
