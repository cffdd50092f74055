package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Whether two served numbers can exchange end-to-end messages, by the database function
 * {@code e2ee_capable} (migration V12: a signed device list and a signed encryption key on every
 * active device), the one definition the send checks and the conversation flag share.
 */
record E2eeCapability(boolean from, boolean to) {

    boolean both() { return from && to; }

    /** Read under the caller's number locks, so no link or key change can slip in before the commit. */
    static Future<E2eeCapability> of(Tx tx, String from, String to) {
        return tx.query("SELECT e2ee_capable($1) AS f, e2ee_capable($2) AS t", Tuple.of(from, to)).map(rows -> {
            Row r = rows.iterator().next();
            return new E2eeCapability(r.getBoolean("f"), r.getBoolean("t"));
        });
    }
}
