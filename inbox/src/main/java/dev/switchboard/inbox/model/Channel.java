package dev.switchboard.inbox.model;

/** How a message travels: carrier SMS, carrier RCS, or inside Switchboard between served numbers. */
public enum Channel {
    SMS, RCS, ONNET;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Channel fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
}
