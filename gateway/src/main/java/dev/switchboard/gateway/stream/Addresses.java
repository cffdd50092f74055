package dev.switchboard.gateway.stream;

/** Every event-bus address the gateway uses, in one place. */
public final class Addresses {
    private static final String INBOX_EVENTS = "switchboard.inbox.events.";
    private static final String TYPING = "switchboard.inbox.typing.";
    private static final String LINK_APPROVED = "switchboard.link.approved.";

    private Addresses() {}

    /** Committed sync events of one number, as {@link LiveEvents} in seq order. */
    public static String inboxEvents(String number) { return INBOX_EVENTS + number; }

    /** Ephemeral typing notices for one number's devices. */
    public static String typing(String number) { return TYPING + number; }

    /** A link request was approved: its new device may collect its token now. */
    public static String linkApproved(String linkId) { return LINK_APPROVED + linkId; }
}
