package dev.switchboard.carrier.smpp;

import dev.switchboard.carrier.smpp.client.SubmitFailure;
import dev.switchboard.carrier.smpp.client.SubmitRequest;
import dev.switchboard.carrier.sms.Segmenter;
import io.vertx.core.Future;
import java.util.List;

/**
 * A way out for SMS segments: a carrier Switchboard binds to ({@code SmppCarrier}, submit_sm) or an
 * account bound to Switchboard's own server ({@code AccountRoute}, deliver_sm). The outbox worker
 * and {@code DirectSms} treat both alike.
 *
 * <p>Failure contract of {@link #send}: the future fails with a {@link SubmitFailure}; a transient
 * one (throttled, queue full, system error, timeout, no bind) is retried later by the caller, a
 * permanent one fails the message with the SMPP status.
 */
public interface SmsRoute {
    /** The name receipts and {@code sms_submissions.carrier} know this route by: carrier id or account system_id. */
    String id();

    /** Destination prefixes routed here; across all routes the longest match wins. */
    List<String> prefixes();

    /** Whether a segment could go out now; while not, messages wait in the outbox. */
    boolean ready();

    /** How text is cut into segments on this route. */
    Segmenter segmenter();

    /** Sends one segment; completes with the id the segment is known by on this route. */
    Future<String> send(SubmitRequest request);

    /** The id as this route's receipts will name it. */
    String normalise(String id);
}
