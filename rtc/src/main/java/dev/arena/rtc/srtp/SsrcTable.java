package dev.arena.rtc.srtp;

/**
 * SSRC -> {@link StreamState}: open addressing with linear probing and backward-shift deletion, at most
 * {@code maxEntries} entries (load factor at most 1/2). Lookups allocate nothing; only a new SSRC
 * allocates its state. Not thread-safe.
 */
final class SsrcTable {
    private final int[] keys;
    private final StreamState[] values;
    private final int mask;
    private final int maxEntries;
    private int size;

    SsrcTable(int maxEntries) {
        if (maxEntries < 1 || maxEntries > (1 << 20)) {
            throw new IllegalArgumentException("maxEntries out of range: " + maxEntries);
        }
        int cap = Integer.highestOneBit(maxEntries * 2 - 1) << 1;
        this.keys = new int[cap];
        this.values = new StreamState[cap];
        this.mask = cap - 1;
        this.maxEntries = maxEntries;
    }

    private int slot(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    StreamState get(int ssrc) {
        for (int i = slot(ssrc); ; i = (i + 1) & mask) {
            StreamState s = values[i];
            if (s == null || keys[i] == ssrc) {
                return s;
            }
        }
    }

    boolean isFull() {
        return size >= maxEntries;
    }

    int size() {
        return size;
    }

    /** Adds a state for an absent SSRC; returns null when full. */
    StreamState add(int ssrc, boolean withWindow) {
        if (size >= maxEntries) {
            return null;
        }
        int i = slot(ssrc);
        while (values[i] != null) {
            if (keys[i] == ssrc) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        StreamState s = new StreamState(ssrc, withWindow);
        keys[i] = ssrc;
        values[i] = s;
        size++;
        return s;
    }

    boolean remove(int ssrc) {
        int i = slot(ssrc);
        while (values[i] != null && keys[i] != ssrc) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return false;
        }
        values[i] = null;
        size--;
        // Backward shift: move later entries of the probe run into the hole when their home allows it.
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                values[j] = null;
                hole = j;
            }
        }
        return true;
    }
}
