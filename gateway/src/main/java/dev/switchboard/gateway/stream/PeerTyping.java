package dev.switchboard.gateway.stream;

import dev.switchboard.carrier.rcs.TypingSink;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * A carrier's typing event for a peer, shown on the number's devices in the conversation with that
 * peer. No conversation yet means nothing to show it in, so it is dropped.
 */
public final class PeerTyping implements TypingSink {
    private final Pool pool;
    private final TypingNotices notices;

    public PeerTyping(Pool pool, TypingNotices notices) {
        this.pool = pool;
        this.notices = notices;
    }

    @Override
    public void peerTyping(String number, String peer, boolean active) {
        pool.preparedQuery("SELECT id FROM conversations WHERE number = $1 AND peer = $2").execute(Tuple.of(number, peer))
                .onSuccess(rows -> {
                    if (rows.size() == 1) {
                        notices.peerTyping(number, rows.iterator().next().getString(0), peer, active);
                    }
                });
    }
}
