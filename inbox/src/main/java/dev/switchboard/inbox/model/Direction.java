package dev.switchboard.inbox.model;

public enum Direction {
    IN, OUT;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Direction fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
}
