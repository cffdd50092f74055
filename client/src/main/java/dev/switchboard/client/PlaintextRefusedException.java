package dev.switchboard.client;

/**
 * Nothing was sent: the gateway's answer would have this device write to {@link #number()} in the
 * clear (it says it does not serve the number, or shows it without end-to-end keys), but this device
 * verified a device list of that number signed by its account key before. A gateway must not be able
 * to downgrade an end-to-end conversation by saying so; a user who knows that the peer really moved
 * away (its number went to a carrier, say) can send in the clear on purpose (CLI:
 * {@code send --allow-plaintext}; library: {@link E2eeSender#allowingPlaintext()}).
 */
public final class PlaintextRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String number;

    public PlaintextRefusedException(String number, String why) {
        super(why + "; but this device verified a device list of " + number + " signed by its account key before:"
                + " refusing to send in the clear; nothing was sent. If " + number + " really cannot take end-to-end"
                + " messages any more, send again allowing plaintext (send --allow-plaintext)");
        this.number = number;
    }

    /** The number that would have been written to in the clear. */
    public String number() {
        return number;
    }
}
