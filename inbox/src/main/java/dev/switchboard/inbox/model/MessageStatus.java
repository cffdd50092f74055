package dev.switchboard.inbox.model;

/**
 * Delivery status, a one-way state machine: queued, sent, delivered, read; or failed. Carriers
 * report out of order (a delivery receipt after the read receipt), so a move backwards is ignored
 * rather than applied.
 */
public enum MessageStatus {
    QUEUED(0), SENT(1), DELIVERED(2), READ(3), FAILED(4);

    private final int rank;

    MessageStatus(int rank) { this.rank = rank; }

    public boolean canMoveTo(MessageStatus next) {
        if (this == FAILED || this == READ) {
            return false;
        }
        if (next == FAILED) {
            return true;
        }
        return next.rank > rank;
    }

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static MessageStatus fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
}
