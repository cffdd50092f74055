package dev.switchboard.carrier.smpp.client;

import dev.switchboard.carrier.sms.SmsPlan;
import dev.switchboard.carrier.sms.SmsSegment;
import io.vertx.core.Future;
import java.util.List;

/**
 * Sends a system SMS (an enrollment code) straight through the carrier routes. It is not a
 * conversation message: nothing is stored, and a failure is reported to the caller, who can ask
 * again.
 */
public final class DirectSms {
    private final CarrierRouter<SmppCarrier> router;

    public DirectSms(List<SmppCarrier> carriers) {
        this.router = new CarrierRouter<>(carriers, c -> c.settings().prefixes());
    }

    public boolean canReach(String to) {
        return router.route(to).filter(SmppCarrier::ready).isPresent();
    }

    public Future<Void> send(String from, String to, String text) {
        SmppCarrier carrier = router.route(to).filter(SmppCarrier::ready).orElse(null);
        if (carrier == null) {
            return Future.failedFuture(new IllegalStateException("no carrier bind can reach " + to));
        }
        SmsPlan plan = carrier.segmenter().plan(text, 0);
        Future<Void> chain = Future.succeededFuture();
        for (SmsSegment segment : plan.segments()) {
            chain = chain.compose(v -> carrier.submit(new SubmitRequest(from, to, segment, plan.dataCoding())).mapEmpty());
        }
        return chain;
    }
}
