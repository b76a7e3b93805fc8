package dev.arena.bots.peer;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic timer per event loop and period for every bot on that loop, instead of one scheduled task per bot:
 * with hundreds of bots per loop, re-queueing each bot's task in the loop's timer heap 50 times a second cost more
 * than the ticks themselves. {@link #add} and {@link #remove} must run on the loop; the timer stops when the last
 * bot leaves it.
 */
final class LoopTicker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopTicker.class);
    private static final ConcurrentHashMap<Key, LoopTicker> TICKERS = new ConcurrentHashMap<>();

    private record Key(ScheduledExecutorService loop, long periodMillis) {
    }

    private final Key key;
    private Runnable[] tasks = new Runnable[16];
    private int count;
    private ScheduledFuture<?> future;

    private LoopTicker(Key key) {
        this.key = key;
    }

    /** Adds {@code task} to the ticker of {@code loop} with this period; call on that loop. */
    static LoopTicker add(ScheduledExecutorService loop, long periodMillis, Runnable task) {
        LoopTicker ticker = TICKERS.computeIfAbsent(new Key(loop, periodMillis), LoopTicker::new);
        ticker.addTask(task);
        return ticker;
    }

    private void addTask(Runnable task) {
        if (count == tasks.length) {
            tasks = Arrays.copyOf(tasks, count * 2);
        }
        tasks[count++] = task;
        if (future == null) {
            future = key.loop.scheduleAtFixedRate(this, key.periodMillis, key.periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Removes {@code task} (no-op if absent); call on the loop. A task removed while ticking may miss one tick. */
    void remove(Runnable task) {
        for (int i = 0; i < count; i++) {
            if (tasks[i] == task) {
                tasks[i] = tasks[--count];
                tasks[count] = null;
                break;
            }
        }
        if (count == 0 && future != null) {
            future.cancel(false);
            future = null;
            TICKERS.remove(key, this);
        }
    }

    @Override
    public void run() {
        for (int i = 0; i < count; i++) {
            try {
                tasks[i].run();
            } catch (RuntimeException e) {
                LOG.warn("a bot's tick failed; the other bots on this loop go on", e); // one bot never stops the rest
            }
        }
    }
}
