package dev.switchboard.gateway.http;

import dev.switchboard.carrier.smpp.client.DirectSms;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.model.PhoneNumber;
import dev.switchboard.inbox.persistence.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code POST /v1/numbers/{number}/verification}: enroll a primary by SMS. A six-digit code goes to
 * the number through the carrier routes and works in {@code POST /v1/devices/primary} for ten
 * minutes and five attempts. Unauthenticated, so it is rate-limited per number and per client
 * address, and it answers the same whether or not the number is served.
 */
final class VerificationRoutes {
    static final Duration CODE_TTL = Duration.ofMinutes(10);
    static final Duration PER_NUMBER_INTERVAL = Duration.ofSeconds(60);
    /** The alphanumeric sender of enrollment SMS. */
    static final String SENDER = "Switchboard";

    private final NumberService numbers;
    private final DirectSms sms;
    private final Ids ids;
    private final AddressRateLimiter perAddress = new AddressRateLimiter(5, Duration.ofMinutes(10));

    VerificationRoutes(NumberService numbers, DirectSms sms, Ids ids) {
        this.numbers = numbers;
        this.sms = sms;
        this.ids = ids;
    }

    void mount(Router router) {
        router.post("/v1/numbers/:number/verification").handler(Replies.of(this::verify));
    }

    private Future<Reply> verify(RoutingContext ctx) {
        String number = PhoneNumber.require("number", ctx.pathParam("number"));
        if (!perAddress.tryAcquire(ctx.request().remoteAddress().hostAddress())) {
            throw new InboxException(InboxException.Kind.TOO_MANY_REQUESTS, "too_many_requests", "too many codes asked from this address");
        }
        String code = ids.smsCode();
        return numbers.issueVerification(number, code, CODE_TTL, PER_NUMBER_INTERVAL).compose(issued -> {
            Future<Void> sent = issued.isPresent()
                    ? sms.send(SENDER, number, "Your Switchboard code: " + code + ". It expires in 10 minutes.")
                            .recover(e -> Future.failedFuture(new InboxException(InboxException.Kind.UNAVAILABLE, "sms_unavailable",
                                    "the code could not be sent by SMS now; try again later")))
                    : Future.succeededFuture();
            return sent.map(v -> new Reply(202, new JsonObject().put("expiresAt",
                    issued.orElse(java.time.Instant.now().plus(CODE_TTL)).toString())));
        });
    }
}
