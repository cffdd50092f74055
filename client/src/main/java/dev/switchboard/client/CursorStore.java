package dev.switchboard.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a {@link SyncStream} keeps the seq of the last event its listener finished with. It is
 * saved only after the listener returns, so a crash replays the event rather than losing it.
 */
public interface CursorStore {

    /** The last handled seq; 0 when nothing has been handled yet. */
    long load();

    void save(long seq);

    /** A cursor that lives as long as the process: for tests and callers that keep their own state. */
    static CursorStore inMemory(long start) {
        AtomicLong cursor = new AtomicLong(start);
        return new CursorStore() {
            @Override
            public long load() {
                return cursor.get();
            }

            @Override
            public void save(long seq) {
                cursor.set(seq);
            }

            @Override
            public String toString() {
                return "CursorStore.inMemory[" + cursor.get() + "]";
            }
        };
    }
}
