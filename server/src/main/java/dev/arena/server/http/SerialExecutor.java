package dev.arena.server.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs its tasks one at a time, in submission order, on a virtual thread that exists only while there is work:
 * a WebSocket session's callbacks may block without holding up the network loop or each other's order.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final String name;

    SerialExecutor(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (running.compareAndSet(false, true)) {
            Thread.ofVirtual().name(name).start(this::drain);
        }
    }

    private void drain() {
        do {
            for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
                try {
                    r.run();
                } catch (Throwable t) {
                    log.warn("{}: a callback failed", name, t);
                }
            }
            running.set(false);
            // a task added between the last poll and the reset above found running=true: pick it up
        } while (!tasks.isEmpty() && running.compareAndSet(false, true));
    }
}
