package dev.switchboard.carrier.smpp.client;

import dev.switchboard.carrier.smpp.SmsRoute;
import dev.switchboard.carrier.smpp.SmsRouter;
import dev.switchboard.carrier.sms.SmsPlan;
import dev.switchboard.carrier.sms.SmsSegment;
import io.vertx.core.Future;
import java.util.List;

/**
 * Sends a system SMS (an enrollment code) straight through the routes (carriers, and server
 * accounts by prefix). It is not a conversation message: nothing is stored, and a failure is
 * reported to the caller, who can ask again.
 */
public final class DirectSms {
    private final SmsRouter router;

    public DirectSms(List<SmppCarrier> carriers) {
        this(new SmsRouter(carriers, List.of()));
    }

    public DirectSms(SmsRouter router) {
        this.router = router;
    }

    public boolean canReach(String to) {
        return router.route(to).filter(SmsRoute::ready).isPresent();
    }

    public Future<Void> send(String from, String to, String text) {
        SmsRoute route = router.route(to).filter(SmsRoute::ready).orElse(null);
        if (route == null) {
            return Future.failedFuture(new IllegalStateException("no carrier bind can reach " + to));
        }
        SmsPlan plan = route.segmenter().plan(text, 0);
        Future<Void> chain = Future.succeededFuture();
        for (SmsSegment segment : plan.segments()) {
            chain = chain.compose(v -> route.send(new SubmitRequest(from, to, segment, plan.dataCoding())).mapEmpty());
        }
        return chain;
    }
}
