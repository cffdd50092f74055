package dev.switchboard.carrier;

/**
 * Public links to stored media for peers outside Switchboard: an RCS provider fetches the file
 * behind the link, an SMS recipient taps it. The gateway signs them and lets them expire.
 */
@FunctionalInterface
public interface MediaLinks {
    /** An absolute https/http URL anyone holding it can GET the media with until it expires. */
    String link(String mediaId);
}
