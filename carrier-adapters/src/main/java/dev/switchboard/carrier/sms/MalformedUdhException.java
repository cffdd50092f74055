package dev.switchboard.carrier.sms;

/**
 * A user data header that cannot be trusted: truncated, longer than the message, an information
 * element longer than the header, or a concatenation element with a zero total or an index outside
 * 1..total. Permanent: the same PDU fails the same way, so the peer gets an error status rather than
 * a retry, and nothing is stored from it.
 */
public final class MalformedUdhException extends RuntimeException {

    public MalformedUdhException(String message) {
        super(message, null, false, false);
    }
}
