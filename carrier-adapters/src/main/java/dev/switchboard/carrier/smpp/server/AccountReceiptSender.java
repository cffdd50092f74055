package dev.switchboard.carrier.smpp.server;

import dev.switchboard.carrier.smpp.client.SubmitFailure;
import dev.switchboard.inbox.messages.AccountReceiptStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the receipts queued in {@link AccountReceiptStore} to accounts that have a receiver or
 * transceiver bind, on a Vert.x timer; a receipt for an account with none waits in the table until
 * it binds. A receipt is marked sent after its deliver_sm_resp: a crash between the two is the only
 * way one is sent twice. A permanent refusal by the account also marks it done (sending it again
 * would be refused again); transient ones leave it queued for the next tick.
 */
public final class AccountReceiptSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccountReceiptSender.class);
    private static final long POLL_MS = 200;
    private static final int BATCH = 64;

    private final Vertx vertx;
    private final AccountReceiptStore store;
    private final AccountSessions sessions;
    private final List<String> accounts;
    private long timer = -1;
    private boolean busy;

    public AccountReceiptSender(Vertx vertx, AccountReceiptStore store, AccountSessions sessions, List<String> accounts) {
        this.vertx = vertx;
        this.store = store;
        this.sessions = sessions;
        this.accounts = List.copyOf(accounts);
    }

    public void start() {
        timer = vertx.setPeriodic(POLL_MS, id -> drain());
    }

    private void drain() {
        List<String> ready = accounts.stream().filter(sessions::ready).toList();
        if (busy || ready.isEmpty()) {
            return;
        }
        busy = true;
        store.pending(ready, BATCH)
                .compose(receipts -> Future.join(receipts.stream().map(this::send).toList()))
                .onComplete(ar -> {
                    busy = false;
                    if (ar.failed()) {
                        LOG.debug("some receipts to accounts wait for the next tick: {}", ar.cause().toString());
                    }
                });
    }

    private Future<Void> send(AccountReceiptStore.Pending receipt) {
        return sessions.deliver(receipt.account(), ReceiptPdus.of(receipt))
                .recover(e -> {
                    if (e instanceof SubmitFailure f && !f.isTransient()) {
                        LOG.warn("account {} refused the {} receipt for {}: {}", receipt.account(), receipt.kind(), receipt.smppId(),
                                f.getMessage());
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(e);
                })
                .compose(v -> store.sent(receipt));
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
