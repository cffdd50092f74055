package dev.switchboard.carrier.smpp.server;

import java.util.List;

/** The SMPP server's configuration; port 0 means the server is off. */
public record SmppServerSettings(int port, List<SmppAccount> accounts) {
    public SmppServerSettings {
        accounts = List.copyOf(accounts);
    }

    public boolean enabled() { return port > 0; }
}
