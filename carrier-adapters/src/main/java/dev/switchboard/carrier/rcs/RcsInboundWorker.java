package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.messages.InboundMessage;
import dev.switchboard.inbox.messages.InboundService;
import dev.switchboard.inbox.messages.MessageService;
import dev.switchboard.inbox.messages.RcsCapabilityStore;
import dev.switchboard.inbox.messages.RcsPeers;
import dev.switchboard.inbox.messages.RcsWebhookQueue;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.Part;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the webhook events the queue holds, oldest first: peers' messages into the inbox,
 * receipts onto our messages, typing to devices, unsubscribes onto the conversation. A failure
 * leaves the event queued for a later try; nothing is applied twice (the carrier reference of a
 * message is checked first, and status moves are forward-only).
 */
public final class RcsInboundWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RcsInboundWorker.class);
    private static final long POLL_MS = 500;
    private static final int BATCH = 64;
    private static final int MAX_ATTEMPTS = 12;
    /** A receipt can beat the commit of the send it confirms; it is retried this many times before it is dropped. */
    private static final int RECEIPT_ATTEMPTS = 6;
    /** Downloads of a peer's file are tried this many times (with backoff, about ten minutes) before a placeholder lands instead. */
    private static final int FILE_ATTEMPTS = 8;

    private final Vertx vertx;
    private final RcsWebhookQueue queue;
    private final RcsProviderSet providers;
    private final RcsPeers peers;
    private final InboundService inbound;
    private final MessageService messages;
    private final InboundMedia media;
    private final FileDownloader downloader;
    private final TypingSink typing;
    private final RcsCapabilityStore capabilities;
    /** The one context drain() runs on, so busy and again need no locking and batches never overlap. */
    private volatile Context context;
    private long timer = -1;
    private boolean busy;
    private boolean again;

    public RcsInboundWorker(Vertx vertx, RcsWebhookQueue queue, RcsProviderSet providers, RcsPeers peers, InboundService inbound,
                            MessageService messages, InboundMedia media, FileDownloader downloader, TypingSink typing,
                            RcsCapabilityStore capabilities) {
        this.vertx = vertx;
        this.queue = queue;
        this.providers = providers;
        this.peers = peers;
        this.inbound = inbound;
        this.messages = messages;
        this.media = media;
        this.downloader = downloader;
        this.typing = typing;
        this.capabilities = capabilities;
    }

    public void start() {
        Context own = vertx.getOrCreateContext();
        context = own;
        timer = vertx.setPeriodic(POLL_MS, id -> own.runOnContext(v -> drain()));
    }

    /**
     * New events were committed: apply them now rather than at the next tick. Called from the HTTP
     * server's event loop; the drain is moved to the worker's own context, or two drains could run at
     * once on two threads and apply a peer's events out of order.
     */
    public void kick() {
        Context own = context;
        if (own != null) {
            own.runOnContext(v -> drain());
        }
    }

    private void drain() {
        if (busy) {
            again = true;
            return;
        }
        busy = true;
        again = false;
        queue.claim(BATCH).compose(events -> {
            // In order: a message and the typing-stopped after it, a READ after its DELIVERED.
            Future<Void> chain = Future.succeededFuture();
            for (RcsWebhookQueue.Event e : events) {
                chain = chain.compose(v -> applyOne(e));
            }
            return chain.map(events.size());
        }).onComplete(ar -> {
            busy = false;
            if (ar.failed()) {
                LOG.warn("applying RCS webhook events failed: {}", ar.cause().toString());
            } else if (again || ar.result() == BATCH) {
                drain();
            }
        });
    }

    private Future<Void> applyOne(RcsWebhookQueue.Event e) {
        // compose turns a synchronous throw (a payload that does not read back) into a failure handled below.
        return Future.<Void>succeededFuture().compose(v -> apply(e)).compose(v -> queue.done(e)).recover(err -> {
            if (e.attempts() >= MAX_ATTEMPTS || err instanceof Dropped) {
                LOG.warn("RCS event {} from provider {} dropped: {}", e.dedupeKey(), e.provider(), err.getMessage());
                return queue.failed(e, err.getMessage());
            }
            LOG.info("RCS event {} from provider {} will be retried: {}", e.dedupeKey(), e.provider(), err.getMessage());
            return queue.retryLater(e, Duration.ofSeconds(Math.min(300, 1L << Math.min(8, e.attempts()))), err.getMessage());
        });
    }

    private Future<Void> apply(RcsWebhookQueue.Event e) {
        Optional<RcsProviderSet.Entry> entry = providers.byId(e.provider());
        if (entry.isEmpty()) {
            return Future.failedFuture(new Dropped("provider " + e.provider() + " is no longer configured"));
        }
        RcsInbound event = RcsInboundJson.fromJson(e.payload());
        List<String> numbers = entry.get().settings().numbers();
        if (numbers.isEmpty()) {
            return Future.failedFuture(new Dropped("provider " + e.provider() + " serves no number"));
        }
        return peers.numberFor(numbers, event.sender()).compose(number -> {
            if (event instanceof RcsInbound.UserMessage m) {
                return message(entry.get(), number, m, e.attempts());
            }
            return event((RcsInbound.UserEvent) event, e, number);
        });
    }

    private Future<Void> message(RcsProviderSet.Entry entry, String number, RcsInbound.UserMessage m, int attempt) {
        String provider = entry.id();
        String ref = "rcs:" + provider + ":" + m.messageId();
        return capabilities.forgetUnreachable(provider, m.sender()).compose(v -> peers.alreadyReceived(number, ref)).compose(seen -> seen ? Future.succeededFuture()
                : content(number, m.content(), attempt, java.net.URI.create(entry.settings().baseUrl()).getHost())
                        .compose(content -> inbound.receive(new InboundMessage(number, m.sender(), Channel.RCS, content, ref)))
                        // The peer stops typing when its message lands.
                        .onSuccess(saved -> typing.peerTyping(number, m.sender(), false))
                        .mapEmpty());
    }

    private Future<MessageContent> content(String number, RcsInbound.Content c, int attempt, String providerHost) {
        if (c instanceof RcsInbound.Text t) {
            return Future.succeededFuture(MessageContent.text(clip(t.text(), MessageJson.MAX_TEXT)));
        }
        if (c instanceof RcsInbound.Location l) {
            return Future.succeededFuture(new MessageContent(List.of(new Part.Location(l.latitude(), l.longitude(), null)), List.of(), null));
        }
        if (c instanceof RcsInbound.SuggestionResponse r) {
            String text = clip(r.text() == null ? r.postbackData() : r.text(), MessageJson.MAX_SHORT);
            return Future.succeededFuture(new MessageContent(List.of(new Part.Text(text)), List.of(),
                    new MessageContent.InReplyTo(clip(r.postbackData(), MessageJson.MAX_POSTBACK), clip(r.text(), MessageJson.MAX_SHORT))));
        }
        RcsInbound.File f = (RcsInbound.File) c;
        return downloader.download(f.uri(), providerHost)
                .compose(bytes -> media.store(number, f.mimeType() == null ? "application/octet-stream" : f.mimeType(), f.fileName(), bytes))
                .map(part -> new MessageContent(List.of(part), List.of(), null))
                .recover(e -> {
                    if (attempt < FILE_ATTEMPTS) {
                        return Future.failedFuture(e);
                    }
                    // The peer did send something: after the last try the message still lands, saying what could not be fetched.
                    LOG.warn("giving up on downloading a file for {}: {}", number, e.getMessage());
                    return Future.succeededFuture(MessageContent.text("[file could not be retrieved: "
                            + (f.fileName() == null ? "unnamed" : clip(f.fileName(), 255)) + ", "
                            + (f.mimeType() == null ? "unknown type" : clip(f.mimeType(), 255)) + ", " + f.size() + " bytes]"));
                });
    }

    /**
     * A peer's text beyond what the message model stores is cut rather than refused: the event is
     * valid, and a stored message the model could not read back would break the conversation.
     */
    private static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private Future<Void> event(RcsInbound.UserEvent ev, RcsWebhookQueue.Event queued, String number) {
        return switch (ev.type()) {
            case DELIVERED, READ -> receipt(queued, ev);
            case IS_TYPING, TYPING_STOPPED -> {
                typing.peerTyping(number, ev.sender(), ev.type() == RcsInbound.EventType.IS_TYPING);
                yield Future.succeededFuture();
            }
            case UNSUBSCRIBE, SUBSCRIBE -> peers.setSubscribed(number, ev.sender(), ev.type() == RcsInbound.EventType.SUBSCRIBE);
        };
    }

    private Future<Void> receipt(RcsWebhookQueue.Event queued, RcsInbound.UserEvent ev) {
        if (ev.messageId() == null) {
            return Future.failedFuture(new Dropped(ev.type() + " without a messageId"));
        }
        return peers.messageFor(queued.provider(), ev.messageId()).compose(id -> {
            if (id.isEmpty()) {
                return Future.failedFuture(queued.attempts() >= RECEIPT_ATTEMPTS
                        ? new Dropped(ev.type() + " for unknown message " + ev.messageId())
                        : new IllegalStateException(ev.type() + " for a message not known yet"));
            }
            MessageStatus status = ev.type() == RcsInbound.EventType.READ ? MessageStatus.READ : MessageStatus.DELIVERED;
            return messages.updateStatus(id.get(), status, null).mapEmpty();
        });
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        downloader.close();
    }

    /** An event that can never apply: recorded as failed at once instead of retried. */
    private static final class Dropped extends RuntimeException {
        Dropped(String message) { super(message, null, false, false); }
    }
}
