package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.messages.RcsReadReceipts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the READ agent events owed since devices read RCS messages; the event id makes a resend harmless. */
public final class RcsReadReceiptSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RcsReadReceiptSender.class);
    private static final long POLL_MS = 500;
    private static final int MAX_ATTEMPTS = 10;

    private final Vertx vertx;
    private final RcsReadReceipts receipts;
    private final RcsProviderSet providers;
    private long timer = -1;
    private boolean busy;

    public RcsReadReceiptSender(Vertx vertx, RcsReadReceipts receipts, RcsProviderSet providers) {
        this.vertx = vertx;
        this.receipts = receipts;
        this.providers = providers;
    }

    public void start() {
        timer = vertx.setPeriodic(POLL_MS, id -> drain());
    }

    private void drain() {
        if (busy) {
            return;
        }
        busy = true;
        receipts.claim(64)
                .compose(owed -> Future.join(owed.stream().map(this::send).toList()))
                .onComplete(ar -> busy = false);
    }

    private Future<Void> send(RcsReadReceipts.Owed o) {
        var entry = providers.byId(o.provider());
        if (entry.isEmpty()) {
            return receipts.failed(o);
        }
        return entry.get().provider().read(o.peer(), o.providerMessageId(), o.id()).compose(outcome -> switch (outcome.kind()) {
            case ACCEPTED -> receipts.sent(o);
            case RETRYABLE -> o.attempts() >= MAX_ATTEMPTS ? receipts.failed(o)
                    : receipts.retryLater(o, Duration.ofSeconds(Math.min(300, 1L << Math.min(8, o.attempts()))));
            default -> {
                LOG.info("provider {} refused a READ receipt: {}", o.provider(), outcome.detail());
                yield receipts.failed(o);
            }
        });
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
