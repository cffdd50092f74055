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
import io.vertx.core.Context;
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
 * <p>Messages are claimed continuously, up to {@code maxInFlight} claimed and not yet settled (the
 * routes' total window): a claim starts as soon as there is room, not after the whole previous
 * claim has settled, so one slow message does not hold back the others.
 *
 * <p>What goes out is the message rendered as text ({@link SmsRendering}): rich cards, media links,
 * locations and numbered suggestions all travel; only a message that renders to nothing fails.
 */
public final class SmppOutboxWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppOutboxWorker.class);
    /** How often an idle worker looks for new messages; a busy one claims again as soon as it has room. */
    private static final long POLL_MS = 200;
    /** The most one claim takes; a full claim is followed at once by another while there is room. */
    private static final int BATCH = 64;

    private final Vertx vertx;
    private final OutboxStore outbox;
    private final DeliveryTracker tracker;
    private final SmsRouter router;
    private final SmsRendering rendering;
    private final int maxInFlight;
    // The drain state below is touched only on this context, whatever thread a send completes on.
    private Context context;
    private volatile long timer = -1;
    private int inFlight;
    private boolean claiming;
    private boolean lastClaimFull;
    private volatile boolean stopped;

    /** At most the carriers' binds × window messages are in flight at once. */
    public SmppOutboxWorker(Vertx vertx, OutboxStore outbox, DeliveryTracker tracker, List<SmppCarrier> carriers,
                            MediaLinks links) {
        this(vertx, outbox, tracker, new SmsRouter(carriers, List.of()), links, windowOf(carriers));
    }

    /**
     * {@code links} are the public media links rendered into the text for media parts and card images;
     * {@code maxInFlight} bounds the messages claimed and not yet settled (the routes' total window).
     */
    public SmppOutboxWorker(Vertx vertx, OutboxStore outbox, DeliveryTracker tracker, SmsRouter router, MediaLinks links,
                            int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.vertx = vertx;
        this.outbox = outbox;
        this.tracker = tracker;
        this.router = router;
        this.rendering = new SmsRendering(links);
        this.maxInFlight = maxInFlight;
    }

    /** The carriers' total window: binds × window summed, what their SMSCs let be outstanding at once. */
    public static int windowOf(List<SmppCarrier> carriers) {
        return carriers.stream().mapToInt(c -> c.settings().binds() * c.settings().window()).sum();
    }

    public Future<Void> start() {
        context = vertx.getOrCreateContext();
        return outbox.recover().onSuccess(n -> {
            if (n > 0) {
                LOG.info("{} outbox messages were mid-submission at the last stop; resuming them", n);
            }
            context.runOnContext(v -> {
                if (!stopped) {
                    timer = vertx.setPeriodic(POLL_MS, id -> drain());
                    drain();
                }
            });
        }).mapEmpty();
    }

    /**
     * Claims as many messages as there is room for, one claim at a time. It runs on every tick and
     * whenever a message that was submitted settles after a full claim (more are probably waiting), so
     * the binds stay busy instead of waiting for a whole batch and the next tick. A message only put
     * back for later (no route, no bind) does not claim again: during an outage the backlog is walked
     * once a tick, not in a loop as fast as the database answers.
     */
    private void drain() {
        int room = maxInFlight - inFlight;
        if (stopped || claiming || room <= 0) {
            return;
        }
        int limit = Math.min(BATCH, room);
        claiming = true;
        outbox.claim(limit).onComplete(ar -> context.runOnContext(v -> {
            claiming = false;
            if (ar.failed()) {
                lastClaimFull = false;
                LOG.warn("outbox drain failed: {}", ar.cause().toString());
                return;
            }
            List<OutboxItem> items = ar.result();
            lastClaimFull = items.size() == limit;
            inFlight += items.size();
            items.forEach(item -> sendSafely(item).onComplete(done -> context.runOnContext(w ->
                    settled(done.succeeded() && done.result(), done.cause()))));
        }));
    }

    private void settled(boolean progressed, Throwable failure) {
        inFlight--;
        if (failure != null) {
            // The row stays claimed until the next start's recover(): the database refused even the retry.
            LOG.warn("outbox message could not be settled: {}", failure.toString());
        }
        if (lastClaimFull && progressed) {
            drain();
        }
    }

    /** Settles the message; true when it left the queue or went to a carrier, false when only put back for later. */
    private Future<Boolean> sendSafely(OutboxItem item) {
        try {
            return send(item);
        } catch (RuntimeException e) {
            // A bug in rendering or routing must not leave the row claimed until the next restart.
            LOG.warn("outbox message {} could not be prepared; retrying later: {}", item.messageId(), e.toString());
            return outbox.retryLater(item.messageId(), backoff(item.attempts()), e.toString()).map(false);
        }
    }

    private Future<Boolean> send(OutboxItem item) {
        Optional<SmsRoute> route = router.route(item.to(), item.lastInboundRef());
        if (route.isEmpty()) {
            return outbox.retryLater(item.messageId(), Duration.ofMinutes(1), "no carrier route for " + item.to()).map(false);
        }
        SmsRoute c = route.get();
        if (!c.ready()) {
            return outbox.retryLater(item.messageId(), Duration.ofSeconds(1), "no bind to carrier " + c.id()).map(false);
        }
        String text = rendering.render(item.content());
        if (text.isEmpty()) {
            return outbox.failed(item.messageId(), "nothing in this message can travel as SMS").map(true);
        }
        SmsPlan plan;
        try {
            // The reference must be the same on every attempt, so segments resent after a crash still join up.
            plan = c.segmenter().plan(text, Math.floorMod(item.messageId().hashCode(), 256));
        } catch (MessageTooLongException e) {
            return outbox.failed(item.messageId(), "too long for SMS: " + e.getMessage()).map(true);
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
                })
                .map(true);
    }

    private static Duration backoff(int attempts) {
        long seconds = Math.min(300, 1L << Math.min(8, Math.max(0, attempts - 1)));
        return Duration.ofSeconds(seconds);
    }

    @Override
    public void close() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
