package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.model.Part;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Where files peers send are kept: the gateway's media storage, so devices fetch them like any other media. */
public interface InboundMedia {
    /** Stores the bytes as a media object readable by {@code number}'s devices. */
    Future<Part.Media> store(String number, String contentType, String fileName, Buffer bytes);
}
