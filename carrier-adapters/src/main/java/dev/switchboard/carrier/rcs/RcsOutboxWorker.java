package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.messages.RcsCapabilityStore;
import dev.switchboard.inbox.messages.RcsOutboxItem;
import dev.switchboard.inbox.messages.RcsOutboxStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the RCS outbox. For each message: the peer's capability (cached, else asked), then each
 * content unit under a provider message id that is the same on every retry. The outcome decides
 * what happens next — accepted; unreachable (fall back to SMS at once); unsupported (degrade once,
 * then fall back); retryable (back off until the deadline, then revoke, and fall back only when the
 * revocation is confirmed). A forced RCS message fails where an automatic one would fall back.
 */
public final class RcsOutboxWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RcsOutboxWorker.class);
    private static final long POLL_MS = 200;
    private static final int BATCH = 32;

    private final Vertx vertx;
    private final RcsOutboxStore outbox;
    private final RcsProviderSet providers;
    private final RcsCapabilityStore capabilities;
    private final RcsContentMapper mapper;
    private final Clock clock;
    private long timer = -1;
    private boolean busy;

    public RcsOutboxWorker(Vertx vertx, RcsOutboxStore outbox, RcsProviderSet providers, RcsCapabilityStore capabilities,
                           RcsContentMapper mapper, Clock clock) {
        this.vertx = vertx;
        this.outbox = outbox;
        this.providers = providers;
        this.capabilities = capabilities;
        this.mapper = mapper;
        this.clock = clock;
    }

    public Future<Void> start() {
        return outbox.recover().onSuccess(n -> timer = vertx.setPeriodic(POLL_MS, id -> drain())).mapEmpty();
    }

    private void drain() {
        if (busy) {
            return;
        }
        busy = true;
        outbox.claim(BATCH)
                .compose(items -> Future.join(perPeer(items)))
                .onComplete(ar -> busy = false);
    }

    /** Messages to different peers go out in parallel; to the same peer one after the other, in the order they were queued. */
    private List<Future<Void>> perPeer(List<RcsOutboxItem> items) {
        Map<String, Future<Void>> tails = new LinkedHashMap<>();
        for (RcsOutboxItem item : items) {
            Future<Void> previous = tails.get(item.to());
            tails.put(item.to(), previous == null ? sendLogged(item) : previous.transform(ar -> sendLogged(item)));
        }
        return List.copyOf(tails.values());
    }

    private Future<Void> sendLogged(RcsOutboxItem item) {
        // A synchronous throw would escape Future.join and strand the batch; inside compose it becomes a failed future.
        return Future.<Void>succeededFuture().compose(v -> send(item)).recover(e -> {
            LOG.warn("RCS send of {} failed; retrying: {}", item.messageId(), e.toString());
            return outbox.retryLater(item.messageId(), null, "retry", "internal error: " + e.getClass().getSimpleName(),
                    backoff(item.attempts()));
        });
    }

    Future<Void> send(RcsOutboxItem item) {
        Optional<RcsProviderSet.Entry> found = providers.forNumber(item.from());
        if (found.isEmpty()) {
            return noRcs(item, null, "rejected", "no RCS provider serves " + item.from());
        }
        RcsProviderSet.Entry entry = found.get();
        if (item.deadlineAt() != null && !clock.instant().isBefore(item.deadlineAt())) {
            // Past the deadline nothing is sent again: what the provider may hold is revoked (again, if an earlier
            // revocation could not be confirmed yet), then the message falls back.
            return afterDeadline(item, entry, "deadline passed");
        }
        return capability(entry, item.to()).compose(cap -> {
            if (cap.known() && !cap.reachable()) {
                return noRcs(item, entry, "unreachable", "peer not reachable over RCS");
            }
            Set<String> missing = new HashSet<>(RcsFeatures.required(item.content()));
            missing.removeAll(cap.features());
            if (cap.known() && !missing.isEmpty() && !item.forced()) {
                return noRcs(item, entry, "unsupported", "handset lacks " + String.join(", ", new java.util.TreeSet<>(missing)));
            }
            return sendUnits(item, entry);
        });
    }

    private Future<RcsCapability> capability(RcsProviderSet.Entry entry, String peer) {
        return capabilities.fresh(entry.id(), peer).compose(cached -> {
            if (cached.isPresent()) {
                return Future.succeededFuture(cached.get().reachable()
                        ? RcsCapability.reachable(cached.get().features()) : RcsCapability.unreachable());
            }
            return entry.provider().capabilities(peer).compose(cap -> !cap.known() ? Future.succeededFuture(cap)
                    : capabilities.store(entry.id(), peer, cap.reachable(), cap.features(), entry.settings().capabilityTtl()).map(cap));
        });
    }

    private Future<Void> sendUnits(RcsOutboxItem item, RcsProviderSet.Entry entry) {
        List<RcsContent> units = mapper.map(item.content());
        if (item.degraded()) {
            units = RcsDegrader.degrade(units).orElse(units);
        }
        if (units.isEmpty()) {
            return outbox.failed(item.messageId(), entry.id(), "rejected", "empty message", "nothing in this message can travel as RCS");
        }
        List<String> ids = providerIds(item, units.size());
        Future<SendOutcome> chain = Future.succeededFuture(SendOutcome.accepted(200));
        for (int i = 0; i < units.size(); i++) {
            RcsContent unit = units.get(i);
            String pmid = ids.get(i);
            if ("sent".equals(item.sends().get(pmid))) {
                continue;
            }
            chain = chain.compose(previous -> previous.kind() != SendOutcome.Kind.ACCEPTED ? Future.succeededFuture(previous)
                    : entry.provider().send(item.to(), pmid, unit, entry.settings().messageTtl()).compose(outcome -> record(item, entry, pmid, outcome)));
        }
        return chain.compose(outcome -> settle(item, entry, outcome));
    }

    /** The same ids on every retry, so the provider recognises a resend; a degraded resend is new content, so new ids. */
    private static List<String> providerIds(RcsOutboxItem item, int count) {
        String base = item.degraded() ? item.messageId() + "-d" : item.messageId();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(count == 1 ? base : base + "-" + (i + 1));
        }
        return ids;
    }

    /** Committed before the next unit goes out: receipts name these ids, and a revocation must cover every one the provider may have. */
    private Future<SendOutcome> record(RcsOutboxItem item, RcsProviderSet.Entry entry, String pmid, SendOutcome outcome) {
        String state = switch (outcome.kind()) {
            case ACCEPTED -> "sent";
            // A timeout or 5xx may hide an acceptance; a 429 is a clear refusal.
            case RETRYABLE -> outcome.httpStatus() == 429 ? null : "unknown";
            default -> null;
        };
        return state == null ? Future.succeededFuture(outcome)
                : outbox.recordSend(item.messageId(), entry.id(), pmid, state).map(outcome);
    }

    private Future<Void> settle(RcsOutboxItem item, RcsProviderSet.Entry entry, SendOutcome outcome) {
        String provider = entry.id();
        return switch (outcome.kind()) {
            case ACCEPTED -> outbox.accepted(item.messageId(), provider, outcome.detail());
            case UNREACHABLE -> capabilities.store(provider, item.to(), false, Set.of(), entry.settings().capabilityTtl())
                    .compose(v -> noRcs(item, entry, "unreachable", outcome.detail()));
            // Degrading resends the whole message under new ids: only while the provider holds none of it.
            case UNSUPPORTED -> outbox.sendsOf(item.messageId(), provider).compose(held ->
                    held.isEmpty() && !item.degraded() && RcsDegrader.degrade(mapper.map(item.content())).isPresent()
                            ? outbox.degrade(item.messageId(), provider, outcome.detail())
                            : noRcs(item, entry, "unsupported", outcome.detail()));
            case REJECTED -> noRcs(item, entry, "rejected", outcome.detail());
            case RETRYABLE -> clock.instant().isBefore(item.deadlineAt() == null ? clock.instant() : item.deadlineAt())
                    ? outbox.retryLater(item.messageId(), provider, "retry", outcome.detail(), backoff(item.attempts()))
                    : afterDeadline(item, entry, outcome.detail());
        };
    }

    /**
     * Past the deadline. Whatever the provider may hold is revoked first; only when every revocation
     * is confirmed may the message go out as SMS, or the peer could get it twice.
     */
    private Future<Void> afterDeadline(RcsOutboxItem item, RcsProviderSet.Entry entry, String detail) {
        return withdrawThen(item, entry, "retry", "deadline passed (" + detail + ")");
    }

    /**
     * RCS is out for this message: an automatic one falls back to SMS, a forced one fails with the
     * reason. If any part may already be with the provider (accepted, or a send that timed out), it
     * is revoked first, and the message leaves RCS only when every revocation is confirmed — else
     * the peer could get it both ways. A revocation that fails for a passing reason (no answer, 5xx,
     * 429) is tried again later, for as long again as the fallback deadline; a definite refusal, or
     * running out of time, leaves the message with the provider and sends no SMS.
     */
    private Future<Void> noRcs(RcsOutboxItem item, RcsProviderSet.Entry entry, String result, String detail) {
        if (entry == null) {
            return leaveRcs(item, null, result, detail);
        }
        return withdrawThen(item, entry, result, detail);
    }

    private Future<Void> withdrawThen(RcsOutboxItem item, RcsProviderSet.Entry entry, String result, String detail) {
        return outbox.sendsOf(item.messageId(), entry.id()).compose(held -> {
            if (held.isEmpty()) {
                return leaveRcs(item, entry.id(), result, detail);
            }
            Future<List<RevokeOutcome>> revocations = Future.succeededFuture(new ArrayList<>());
            for (String pmid : held) {
                revocations = revocations.compose(list -> entry.provider().revoke(item.to(), pmid).compose(r -> {
                    list.add(r);
                    return r.confirmed() ? outbox.recordSend(item.messageId(), entry.id(), pmid, "revoked").map(list)
                            : Future.succeededFuture(list);
                }));
            }
            return revocations.compose(list -> {
                Optional<RevokeOutcome> refused = list.stream().filter(r -> !r.confirmed()).findFirst();
                if (refused.isEmpty()) {
                    return leaveRcs(item, entry.id(), "revoked", detail + "; revocation confirmed");
                }
                RevokeOutcome r = refused.get();
                boolean passing = r.httpStatus() == 0 || r.httpStatus() == 429 || r.httpStatus() >= 500;
                Instant giveUp = (item.deadlineAt() == null ? clock.instant() : item.deadlineAt()).plus(entry.settings().fallbackDeadline());
                if (passing && clock.instant().isBefore(giveUp)) {
                    return outbox.retryLater(item.messageId(), entry.id(), "revocation_retry", r.detail(), backoff(item.attempts()));
                }
                return outbox.abandonedUnconfirmed(item.messageId(), entry.id(), r.detail());
            });
        });
    }

    private Future<Void> leaveRcs(RcsOutboxItem item, String provider, String result, String detail) {
        if (item.forced()) {
            return outbox.failed(item.messageId(), provider, result, detail, "not sent over RCS: " + detail);
        }
        return outbox.fallBackToSms(item.messageId(), provider, result, detail);
    }

    private static Duration backoff(int attempts) {
        return Duration.ofSeconds(Math.min(60, 1L << Math.min(6, Math.max(0, attempts - 1))));
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
