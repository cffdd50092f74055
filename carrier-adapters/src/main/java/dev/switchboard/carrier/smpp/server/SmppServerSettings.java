package dev.switchboard.carrier.smpp.server;

import java.util.List;

/**
 * The SMPP server's configuration; port 0 means the server is off. {@code window} is how many PDUs
 * of one bind are worked on at once: each submit_sm holds its processing thread until its message
 * is committed, so this is the bind's real window (an ESME sending more waits in the bind's queue).
 */
public record SmppServerSettings(int port, List<SmppAccount> accounts, int window) {
    public static final int DEFAULT_WINDOW = 32;

    public SmppServerSettings {
        accounts = List.copyOf(accounts);
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
    }

    public SmppServerSettings(int port, List<SmppAccount> accounts) {
        this(port, accounts, DEFAULT_WINDOW);
    }

    public boolean enabled() { return port > 0; }
}
