package dev.arena.rtc.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import dev.arena.rtc.util.DropCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket on one event loop, on Netty's native epoll transport: reads in batches with recvmmsg
 * ({@link EpollChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE} with a receive buffer of several datagram slots),
 * hands each datagram to a {@link DatagramHandler} as a {@code byte[]} view, demultiplexed by first byte
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983#section-7">RFC 7983</a>), and writes in batches: writes
 * made during a read batch are flushed together at its end, which Netty's epoll datagram path turns into
 * sendmmsg. Falls back to NIO (with a log line) where epoll is unavailable.
 *
 * <p>Memory: datagrams arrive in pooled direct buffers and are copied once into this endpoint's scratch array
 * (the endpoint lives on exactly one event loop), so protocol code stays on {@code byte[]}; {@link #send} copies
 * into a pooled direct buffer. The outbound queue is bounded by a high-water mark in bytes: above it, sends are
 * dropped and counted ({@link UdpDrop#SEND_QUEUE_FULL}) rather than queued.
 *
 * <p>Threads: the handler runs on {@link #executor()}. {@link #send} may be called from any thread: on the
 * event loop it only queues (flushed at the end of the read batch, by {@link #flush()}, or right after the
 * current task); from another thread it writes and flushes at once.
 */
public final class UdpEndpoint implements DatagramSender, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);
    private static final AtomicBoolean NIO_FALLBACK_LOGGED = new AtomicBoolean();

    /** Which Netty transport to use. AUTO is epoll when available, else NIO. */
    public enum Transport { AUTO, EPOLL, NIO }

    /**
     * @param maxDatagramSize  largest datagram accepted (bigger ones are dropped as OVERSIZE) and sent
     * @param recvBatch        datagram slots per recvmmsg call (epoll)
     * @param maxMessagesPerRead datagrams read per event-loop wake-up before yielding to other channels
     * @param sendHighWaterBytes outbound bytes queued above which send() drops; writable again below sendLowWaterBytes
     * @param socketBufferBytes  SO_RCVBUF and SO_SNDBUF (the kernel caps them at net.core.[rw]mem_max)
     */
    public record Options(int maxDatagramSize, int recvBatch, int maxMessagesPerRead, int sendHighWaterBytes,
            int sendLowWaterBytes, int socketBufferBytes, Transport transport) {
        public Options {
            if (maxDatagramSize < 1 || maxDatagramSize > 65507) {
                throw new IllegalArgumentException("maxDatagramSize must be 1..65507: " + maxDatagramSize);
            }
            if (recvBatch < 1 || maxMessagesPerRead < 1 || socketBufferBytes < 0) {
                throw new IllegalArgumentException("recvBatch, maxMessagesPerRead must be >= 1");
            }
            if (sendLowWaterBytes < 0 || sendHighWaterBytes < sendLowWaterBytes) {
                throw new IllegalArgumentException("need 0 <= sendLowWaterBytes <= sendHighWaterBytes");
            }
            Objects.requireNonNull(transport, "transport");
        }

        public static Options defaults() {
            return new Options(2048, 16, 64, 2 << 20, 1 << 20, 2 << 20, Transport.AUTO);
        }

        public Options withTransport(Transport t) {
            return new Options(maxDatagramSize, recvBatch, maxMessagesPerRead, sendHighWaterBytes, sendLowWaterBytes,
                    socketBufferBytes, t);
        }

        public Options withMaxDatagramSize(int size) {
            return new Options(size, recvBatch, maxMessagesPerRead, sendHighWaterBytes, sendLowWaterBytes,
                    socketBufferBytes, transport);
        }

        public Options withSendWaterMarks(int low, int high) {
            return new Options(maxDatagramSize, recvBatch, maxMessagesPerRead, high, low, socketBufferBytes, transport);
        }
    }

    /** The event loops behind one or more endpoints; shut down when the last holder (endpoint or owner) lets go. */
    static final class Loops {
        final EventLoopGroup group;
        final boolean epoll;
        final AtomicInteger refs = new AtomicInteger();

        Loops(int threads, Transport t) {
            boolean useEpoll = switch (t) {
                case EPOLL -> {
                    Epoll.ensureAvailability();
                    yield true;
                }
                case NIO -> false;
                case AUTO -> {
                    if (Epoll.isAvailable()) {
                        yield true;
                    }
                    if (NIO_FALLBACK_LOGGED.compareAndSet(false, true)) {
                        LOG.warn("Netty native epoll unavailable ({}); UDP falls back to NIO (no recvmmsg/sendmmsg)",
                                String.valueOf(Epoll.unavailabilityCause()));
                    }
                    yield false;
                }
            };
            IoHandlerFactory f = useEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
            this.epoll = useEpoll;
            this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("arena-udp", true), f);
        }

        boolean onOwnThread() {
            for (io.netty.util.concurrent.EventExecutor e : group) {
                if (e.inEventLoop()) {
                    return true;
                }
            }
            return false;
        }

        void release(boolean wait) {
            if (refs.decrementAndGet() == 0) {
                var f = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                if (wait) {
                    f.awaitUninterruptibly(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private final Loops loops;
    private final Channel channel;
    private final EventLoop loop;
    private final DatagramHandler handler;
    private final int maxDatagramSize;
    private final byte[] scratch;
    private final InetSocketAddress localAddress;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable flushTask = this::flushScheduled;

    // event-loop-only state
    private boolean inRead;
    private boolean pendingFlush;
    private boolean flushScheduled;
    private int batchCount;
    private long readBatches;
    private long maxBatch;
    private long flushes;

    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder datagramsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] kinds = new LongAdder[PacketKind.values().length];
    private final DropCounter<UdpDrop> drops = new DropCounter<>(UdpDrop.class);

    private UdpEndpoint(Loops loops, EventLoop loop, InetSocketAddress bindTo, DatagramHandler handler, Options o,
            boolean reusePort) {
        this.loops = loops;
        this.loop = loop;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.maxDatagramSize = o.maxDatagramSize();
        this.scratch = new byte[o.maxDatagramSize() + 1];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = new LongAdder();
        }
        SocketProtocolFamily family = bindTo.getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        // one slot more than the largest accepted datagram, so a longer one shows up (truncated) as longer
        int slot = o.maxDatagramSize() + 1;
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.ALLOCATOR, alloc)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(o.sendLowWaterBytes(), o.sendHighWaterBytes()))
                .handler(new Inbound());
        if (o.socketBufferBytes() > 0) {
            b.option(ChannelOption.SO_RCVBUF, o.socketBufferBytes()).option(ChannelOption.SO_SNDBUF, o.socketBufferBytes());
        }
        if (loops.epoll) {
            b.channelFactory(() -> new EpollDatagramChannel(family))
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(slot * o.recvBatch()).maxMessagesPerRead(o.maxMessagesPerRead()));
            if (reusePort) {
                b.option(EpollChannelOption.SO_REUSEPORT, true);
            }
        } else {
            b.channelFactory(() -> new NioDatagramChannel(family))
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(slot).maxMessagesPerRead(o.maxMessagesPerRead()));
            if (reusePort) {
                b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
            }
        }
        this.channel = b.bind(bindTo).syncUninterruptibly().channel();
        this.localAddress = (InetSocketAddress) channel.localAddress();
    }

    /** Binds one socket on its own event loop (closed with the endpoint). Port 0 picks a free port. */
    public static UdpEndpoint bind(InetSocketAddress address, DatagramHandler handler) {
        return bind(address, handler, Options.defaults());
    }

    public static UdpEndpoint bind(InetSocketAddress address, DatagramHandler handler, Options options) {
        Loops loops = new Loops(1, options.transport());
        loops.refs.set(1);
        try {
            return new UdpEndpoint(loops, loops.group.next(), address, handler, options, false);
        } catch (RuntimeException e) {
            loops.release(true);
            throw e;
        }
    }

    /**
     * Binds one socket on the next loop of a shared group (many endpoints per loop: load-test bots). Closing the
     * endpoint leaves the group running; the group stops when it is closed and its last endpoint is.
     */
    public static UdpEndpoint bind(UdpLoops shared, InetSocketAddress address, DatagramHandler handler,
            Options options) {
        Loops loops = shared.acquire();
        try {
            return new UdpEndpoint(loops, loops.group.next(), address, handler, options, false);
        } catch (RuntimeException e) {
            loops.release(false);
            throw e;
        }
    }

    /**
     * Opens {@code loops} sockets on one port with SO_REUSEPORT, one per event loop of a new group; the kernel
     * spreads remote addresses over them by hash, so one remote address always reaches the same loop. Port 0
     * picks a free port for all of them. The group shuts down when the last endpoint closes.
     */
    public static List<UdpEndpoint> bindShared(InetSocketAddress address, int loops, DatagramHandler handler) {
        return bindShared(address, loops, handler, Options.defaults());
    }

    public static List<UdpEndpoint> bindShared(InetSocketAddress address, int loops, DatagramHandler handler,
            Options options) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be >= 1: " + loops);
        }
        Loops group = new Loops(loops, options.transport());
        group.refs.set(loops);
        List<UdpEndpoint> out = new ArrayList<>(loops);
        try {
            InetSocketAddress at = address;
            for (int i = 0; i < loops; i++) {
                UdpEndpoint e = new UdpEndpoint(group, group.group.next(), at, handler, options, true);
                out.add(e);
                at = e.localAddress();
            }
            return List.copyOf(out);
        } catch (RuntimeException e) {
            out.forEach(UdpEndpoint::close);
            for (int i = out.size(); i < loops; i++) {
                group.release(true);
            }
            throw e;
        }
    }

    /**
     * Queues one datagram to {@code to}, copied into a pooled direct buffer. Never throws on a full queue, a bad
     * range or a closed endpoint: the datagram is dropped and counted in {@link #drops()}.
     */
    @Override
    public void send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (closed.get()) {
            drops.count(UdpDrop.CLOSED);
            return;
        }
        if (buf == null || to == null || off < 0 || len <= 0 || len > maxDatagramSize || off > buf.length - len) {
            drops.count(UdpDrop.SEND_INVALID);
            return;
        }
        if (!channel.isWritable()) {
            drops.count(UdpDrop.SEND_QUEUE_FULL);
            return;
        }
        ByteBuf data = alloc.directBuffer(len, len);
        data.writeBytes(buf, off, len);
        DatagramPacket packet = new DatagramPacket(data, to);
        datagramsOut.increment();
        bytesOut.add(len);
        if (loop.inEventLoop()) {
            channel.write(packet, channel.voidPromise());
            pendingFlush = true;
            if (!inRead && !flushScheduled) {
                flushScheduled = true;
                loop.execute(flushTask);
            }
        } else {
            channel.writeAndFlush(packet, channel.voidPromise());
        }
    }

    /**
     * Connects the socket to {@code remote} (on its loop): the kernel then delivers only that peer's datagrams, and
     * Netty reads them without building a sender address per datagram. For a client socket that has chosen its one
     * peer (ICE selected a pair); datagrams may still be sent to other addresses.
     */
    public void connect(InetSocketAddress remote) {
        Objects.requireNonNull(remote, "remote");
        if (loop.inEventLoop()) {
            if (!closed.get() && channel.isOpen() && channel.remoteAddress() == null) {
                channel.connect(remote).addListener(f -> {
                    if (!f.isSuccess()) {
                        LOG.debug("{}: connect to {} failed", this, remote, f.cause());
                    }
                });
            }
        } else {
            loop.execute(() -> connect(remote));
        }
    }

    /**
     * Flushes queued datagrams now (on epoll, several queued datagrams go out in one sendmmsg). Also happens at the
     * end of each read batch and right after any event-loop task that sent.
     */
    public void flush() {
        if (loop.inEventLoop()) {
            if (pendingFlush) {
                pendingFlush = false;
                flushes++;
                channel.flush();
            }
        } else {
            channel.flush();
        }
    }

    private void flushScheduled() {
        flushScheduled = false;
        flush();
    }

    /** The event loop that owns this endpoint: the handler runs here; schedule per-transport work here. */
    public EventLoop executor() {
        return loop;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** True on Netty's native epoll transport, false on the NIO fallback. */
    public boolean isEpoll() {
        return loops.epoll;
    }

    public DropCounter<UdpDrop> drops() {
        return drops;
    }

    /**
     * A snapshot of the counters. readBatches, maxBatch and flushes are written by the event loop only; read them
     * from elsewhere after a happens-before edge (e.g. a task run on {@link #executor()}).
     */
    public UdpStats stats() {
        Map<PacketKind, Long> k = new EnumMap<>(PacketKind.class);
        for (PacketKind kind : PacketKind.values()) {
            k.put(kind, kinds[kind.ordinal()].sum());
        }
        return new UdpStats(datagramsIn.sum(), bytesIn.sum(), datagramsOut.sum(), bytesOut.sum(), readBatches,
                maxBatch, flushes, k, drops.snapshot());
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Closes the socket (idempotent); the last endpoint of a group shuts its event loops down. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean onLoop = loop.inEventLoop();
        var f = channel.close();
        if (!onLoop) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        loops.release(!onLoop && !loops.onOwnThread());
    }

    @Override
    public String toString() {
        return "UdpEndpoint[" + localAddress + (loops.epoll ? ", epoll" : ", nio") + (closed.get() ? ", closed]" : "]");
    }

    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket packet)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            inRead = true;
            try {
                ByteBuf content = packet.content();
                int len = content.readableBytes();
                batchCount++;
                datagramsIn.increment();
                bytesIn.add(len);
                if (len == 0) {
                    drops.count(UdpDrop.EMPTY);
                    return;
                }
                if (len > maxDatagramSize) {
                    drops.count(UdpDrop.OVERSIZE);
                    return;
                }
                content.getBytes(content.readerIndex(), scratch, 0, len);
                PacketKind kind = PacketKind.of(scratch[0]);
                kinds[kind.ordinal()].increment();
                if (kind == PacketKind.UNKNOWN) {
                    drops.count(UdpDrop.UNKNOWN_KIND);
                    return;
                }
                try {
                    handler.onDatagram(scratch, 0, len, packet.sender(), UdpEndpoint.this);
                } catch (Throwable t) {
                    if (drops.get(UdpDrop.HANDLER_ERROR) == 0) {
                        LOG.warn("DatagramHandler threw on {} (counted as HANDLER_ERROR; logged once)", localAddress, t);
                    }
                    drops.count(UdpDrop.HANDLER_ERROR);
                }
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readBatches++;
            if (batchCount > maxBatch) {
                maxBatch = batchCount;
            }
            batchCount = 0;
            try {
                handler.onBatchComplete(UdpEndpoint.this);
            } catch (Throwable t) {
                drops.count(UdpDrop.HANDLER_ERROR);
            } finally {
                inRead = false;
                flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (drops.get(UdpDrop.IO_ERROR) == 0) {
                LOG.debug("UDP I/O error on {} (counted as IO_ERROR)", localAddress, cause);
            }
            drops.count(UdpDrop.IO_ERROR);
        }
    }
}
