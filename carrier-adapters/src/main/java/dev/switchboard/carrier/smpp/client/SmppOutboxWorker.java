package dev.switchboard.carrier.smpp.client;

import dev.switchboard.carrier.MediaLinks;
import dev.switchboard.carrier.smpp.SmsRoute;
import dev.switchboard.carrier.smpp.SmsRouter;
import dev.switchboard.carrier.sms.MessageTooLongException;
import dev.switchboard.carrier.sms.SmsPlan;
import dev.switchboard.carrier.sms.SmsRendering;
import dev.switchboard.carrier.sms.SmsSegment;
import dev.switchboard.inbox.messages.DeliveryTracker;
import dev.switchboard.inbox.messages.OutboxItem;
import dev.switchboard.inbox.messages.OutboxStore;
import dev.switchboard.inbox.model.SmsDetails;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox through the routes ({@link SmsRouter}: carriers and server accounts). Each claimed message is planned into segments, and every
 * segment not yet accepted is submitted and its SMSC id committed at once, so a crash resends only
 * a segment whose acceptance and commit it fell between. Transient failures go back to the queue
 * with backoff; permanent ones fail the message with the SMPP status.
 *
 * <p>What goes out is the message rendered as text ({@link SmsRendering}): rich cards, media links,
 * locations and numbered suggestions all travel; only a message that renders to nothing fails.
 */
public final class SmppOutboxWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppOutboxWorker.class);
    private static final long POLL_MS = 200;
    private static final int BATCH = 64;

    private final Vertx vertx;
    private final OutboxStore outbox;
    private final DeliveryTracker tracker;
    private final SmsRouter router;
    private final SmsRendering rendering;
    private long timer = -1;
    private boolean busy;

    public SmppOutboxWorker(Vertx vertx, OutboxStore outbox, DeliveryTracker tracker, List<SmppCarrier> carriers,
                            MediaLinks links) {
        this(vertx, outbox, tracker, new SmsRouter(carriers, List.of()), links);
    }

    /** {@code links} are the public media links rendered into the text for media parts and card images. */
    public SmppOutboxWorker(Vertx vertx, OutboxStore outbox, DeliveryTracker tracker, SmsRouter router, MediaLinks links) {
        this.vertx = vertx;
        this.outbox = outbox;
        this.tracker = tracker;
        this.router = router;
        this.rendering = new SmsRendering(links);
    }

    public Future<Void> start() {
        return outbox.recover().onSuccess(n -> {
            if (n > 0) {
                LOG.info("{} outbox messages were mid-submission at the last stop; resuming them", n);
            }
            timer = vertx.setPeriodic(POLL_MS, id -> drain());
        }).mapEmpty();
    }

    private void drain() {
        if (busy) {
            return;
        }
        busy = true;
        outbox.claim(BATCH)
                .compose(items -> Future.join(items.stream().map(this::send).toList()))
                .onComplete(ar -> {
                    busy = false;
                    if (ar.failed()) {
                        LOG.warn("outbox drain failed: {}", ar.cause().toString());
                    }
                });
    }

    private Future<Void> send(OutboxItem item) {
        Optional<SmsRoute> route = router.route(item.to(), item.lastInboundRef());
        if (route.isEmpty()) {
            return outbox.retryLater(item.messageId(), Duration.ofMinutes(1), "no carrier route for " + item.to());
        }
        SmsRoute c = route.get();
        if (!c.ready()) {
            return outbox.retryLater(item.messageId(), Duration.ofSeconds(1), "no bind to carrier " + c.id());
        }
        String text = rendering.render(item.content());
        if (text.isEmpty()) {
            return outbox.failed(item.messageId(), "nothing in this message can travel as SMS");
        }
        SmsPlan plan;
        try {
            // The reference must be the same on every attempt, so segments resent after a crash still join up.
            plan = c.segmenter().plan(text, Math.floorMod(item.messageId().hashCode(), 256));
        } catch (MessageTooLongException e) {
            return outbox.failed(item.messageId(), "too long for SMS: " + e.getMessage());
        }
        // Recorded on the message with the first accepted segment: what the recipient receives, and by which route.
        SmsDetails details = new SmsDetails(plan.smsCount(), SmsDetails.encodingName(plan.encoding().name()), c.id());
        Future<Void> chain = Future.succeededFuture();
        for (SmsSegment segment : plan.segments()) {
            if (item.submittedSegments().contains(segment.index())) {
                continue;
            }
            chain = chain.compose(v -> c.send(new SubmitRequest(item.from(), item.to(), segment, plan.dataCoding()))
                    .compose(smscId -> tracker.segmentAccepted(item.messageId(), segment.index(), segment.total(), c.id(),
                            smscId, c.normalise(smscId), details)));
        }
        return chain.compose(v -> outbox.submitted(item.messageId()))
                .recover(e -> {
                    if (e instanceof SubmitFailure f && !f.isTransient()) {
                        return outbox.failed(item.messageId(), "carrier " + c.id() + " refused: " + f.getMessage());
                    }
                    return outbox.retryLater(item.messageId(), backoff(item.attempts()), e.getMessage());
                });
    }

    private static Duration backoff(int attempts) {
        long seconds = Math.min(300, 1L << Math.min(8, Math.max(0, attempts - 1)));
        return Duration.ofSeconds(seconds);
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
