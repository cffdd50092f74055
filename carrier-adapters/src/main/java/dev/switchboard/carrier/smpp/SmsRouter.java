package dev.switchboard.carrier.smpp;

import dev.switchboard.carrier.smpp.client.CarrierRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the route for a destination. The longest prefix wins across carriers and server accounts;
 * when no prefix matches, a reply goes back the way the conversation's last inbound message came,
 * if that was a server account ({@code carrier_ref} {@code smpp:<system_id>:<message id>}).
 */
public final class SmsRouter {
    private static final String ACCOUNT_REF = "smpp:";

    private final CarrierRouter<SmsRoute> byPrefix;
    private final Map<String, SmsRoute> accounts;

    public SmsRouter(List<? extends SmsRoute> carriers, List<? extends SmsRoute> accounts) {
        List<SmsRoute> all = new ArrayList<>(carriers);
        all.addAll(accounts);
        this.byPrefix = new CarrierRouter<>(all, SmsRoute::prefixes);
        this.accounts = accounts.stream().collect(Collectors.toMap(SmsRoute::id, Function.identity()));
    }

    public Optional<SmsRoute> route(String destination) {
        return route(destination, null);
    }

    /** @param lastInboundRef the {@code carrier_ref} of the conversation's last inbound message, or null */
    public Optional<SmsRoute> route(String destination, String lastInboundRef) {
        Optional<SmsRoute> prefixed = byPrefix.route(destination);
        if (prefixed.isPresent() || lastInboundRef == null || !lastInboundRef.startsWith(ACCOUNT_REF)) {
            return prefixed;
        }
        // A long message's ref lists its segments' refs, comma-separated, all from the same account.
        String rest = lastInboundRef.substring(ACCOUNT_REF.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.ofNullable(accounts.get(rest.substring(0, colon)));
    }
}
