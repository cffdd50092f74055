package dev.switchboard.inbox.messages;

import java.util.Locale;

/** The channel a sender asks for off-net: {@code auto} lets the gateway choose, the others force it. */
public enum RequestedChannel {
    AUTO, RCS, SMS;

    public String wire() { return name().toLowerCase(Locale.ROOT); }
}
