package dev.switchboard.gateway.config;

/** A configured secret that never shows its value in logs, exceptions or {@code toString}. */
public record Secret(String value) {
    @Override
    public String toString() { return "[REDACTED]"; }
}
