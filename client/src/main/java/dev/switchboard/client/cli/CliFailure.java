package dev.switchboard.client.cli;

/**
 * A command could not do its job for a reason the gateway did not report (no credentials yet, a
 * link that was never approved). Printed like an API error, {@code error: <code>: <message>}, exit 1.
 */
final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    CliFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
