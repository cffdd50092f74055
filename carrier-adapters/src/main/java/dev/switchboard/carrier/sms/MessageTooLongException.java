package dev.switchboard.carrier.sms;

/**
 * A text that needs more segments than concatenation can number (255). Permanent: the sender has to
 * shorten it.
 */
public final class MessageTooLongException extends RuntimeException {

    private final int segments;

    public MessageTooLongException(int segments) {
        super("text needs " + segments + " segments, at most " + Segmenter.MAX_SEGMENTS + " are possible",
                null, false, false);
        this.segments = segments;
    }

    /** Segments the text would need. */
    public int segments() {
        return segments;
    }
}
