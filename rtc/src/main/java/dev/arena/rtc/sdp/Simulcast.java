package dev.arena.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast:send <streams> [recv <streams>]} (RFC 8853 section 5.1): streams are separated by ';',
 * alternatives of one stream by ',', and a leading '~' marks a stream paused, e.g. {@code send q;h;f}.
 * Each inner list is one simulcast stream with its alternative rids.
 */
public record Simulcast(List<List<Layer>> send, List<List<Layer>> recv) {
    /** One rid of a simulcast stream. */
    public record Layer(String rid, boolean paused) {
        @Override
        public String toString() {
            return paused ? "~" + rid : rid;
        }
    }

    public Simulcast {
        send = send.stream().map(List::copyOf).toList();
        recv = recv.stream().map(List::copyOf).toList();
    }

    public static Simulcast parse(String v) throws SdpParseException {
        List<String> t = Sdp.tokens(Sdp.require(v, "simulcast"));
        if (t.size() != 2 && t.size() != 4) {
            throw new SdpParseException("a=simulcast needs 'send|recv <streams>' once or twice");
        }
        List<List<Layer>> send = List.of();
        List<List<Layer>> recv = List.of();
        boolean seenSend = false;
        boolean seenRecv = false;
        for (int i = 0; i < t.size(); i += 2) {
            List<List<Layer>> list = streams(t.get(i + 1));
            switch (t.get(i)) {
                case "send" -> {
                    if (seenSend) {
                        throw new SdpParseException("a=simulcast: send given twice");
                    }
                    seenSend = true;
                    send = list;
                }
                case "recv" -> {
                    if (seenRecv) {
                        throw new SdpParseException("a=simulcast: recv given twice");
                    }
                    seenRecv = true;
                    recv = list;
                }
                default -> throw new SdpParseException("a=simulcast: expected send or recv, not '" + Sdp.clip(t.get(i)) + "'");
            }
        }
        return new Simulcast(send, recv);
    }

    private static List<List<Layer>> streams(String s) throws SdpParseException {
        List<List<Layer>> out = new ArrayList<>();
        for (String stream : s.split(";", -1)) {
            List<Layer> alts = new ArrayList<>();
            for (String alt : stream.split(",", -1)) {
                boolean paused = alt.startsWith("~");
                String rid = paused ? alt.substring(1) : alt;
                if (!Rid.isRidId(rid)) {
                    throw new SdpParseException("a=simulcast: '" + Sdp.clip(alt) + "' is not a rid-id");
                }
                alts.add(new Layer(rid, paused));
            }
            out.add(alts);
        }
        return out;
    }

    /** The first alternative of each send stream. */
    public List<String> sendRids() {
        return send.stream().map(a -> a.get(0).rid()).toList();
    }

    /** The first alternative of each recv stream. */
    public List<String> recvRids() {
        return recv.stream().map(a -> a.get(0).rid()).toList();
    }

    /** The same streams with send and recv swapped: what an answer says about an offer's streams. */
    public Simulcast reversed() {
        return new Simulcast(recv, send);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (!send.isEmpty()) {
            b.append("send ").append(format(send));
        }
        if (!recv.isEmpty()) {
            b.append(b.isEmpty() ? "" : " ").append("recv ").append(format(recv));
        }
        return b.toString();
    }

    private static String format(List<List<Layer>> streams) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < streams.size(); i++) {
            b.append(i == 0 ? "" : ";");
            List<Layer> alts = streams.get(i);
            for (int j = 0; j < alts.size(); j++) {
                b.append(j == 0 ? "" : ",").append(alts.get(j));
            }
        }
        return b.toString();
    }
}
