package dev.switchboard.carrier.rcs;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * One remote RCS provider (an RBM agent or a MaaP chatbot) as the adapter sees it. Every call
 * completes with an outcome, never a failed future: network errors and timeouts are
 * {@link SendOutcome.Kind#RETRYABLE} (for a send, the provider may have accepted it anyway).
 */
public interface RcsProvider {
    /** The provider id from configuration ({@code rcs.providers[].id}). */
    String id();

    /** Whether {@code peer} (E.164) is reachable over RCS and what its handset supports. */
    Future<RcsCapability> capabilities(String peer);

    /**
     * Sends one content unit under {@code providerMessageId}, which is the same on every retry so a
     * provider that already has it answers as for a duplicate (treated as accepted).
     */
    Future<SendOutcome> send(String peer, String providerMessageId, RcsContent content, Duration ttl);

    /** Revokes a message the provider has not delivered yet. */
    Future<RevokeOutcome> revoke(String peer, String providerMessageId);

    /** Tells the peer we read one of its messages. */
    Future<SendOutcome> read(String peer, String providerMessageId, String eventId);

    /** Tells the peer we are typing. */
    Future<SendOutcome> typing(String peer, String eventId);
}
