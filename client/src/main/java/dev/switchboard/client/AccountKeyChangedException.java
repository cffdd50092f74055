package dev.switchboard.client;

/**
 * Nothing was sent: the account key of {@link #number()} changed since this device last saw it (a
 * new primary, or someone in between) and the user has not accepted the change. Compare the
 * security code with the peer again, out of band; if it matches, {@link TrustStore#acknowledge}
 * the number (CLI: {@code trust <number>}) and send again.
 */
public final class AccountKeyChangedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String number;

    public AccountKeyChangedException(String number) {
        super("the account key of " + number + " changed since you last verified it: nothing was sent. Compare the"
                + " security code with " + number + " again; if it matches, accept the new key ('trust " + number
                + "') and send again");
        this.number = number;
    }

    public String number() {
        return number;
    }
}
