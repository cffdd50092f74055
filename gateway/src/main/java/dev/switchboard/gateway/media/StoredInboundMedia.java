package dev.switchboard.gateway.media;

import dev.switchboard.carrier.rcs.InboundMedia;
import dev.switchboard.inbox.media.MediaRepository;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.persistence.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Files peers send through a carrier land in the same storage as device uploads. */
public final class StoredInboundMedia implements InboundMedia {
    private final MediaFiles files;
    private final MediaRepository repository;
    private final Ids ids;

    public StoredInboundMedia(MediaFiles files, MediaRepository repository, Ids ids) {
        this.files = files;
        this.repository = repository;
        this.ids = ids;
    }

    @Override
    public Future<Part.Media> store(String number, String contentType, String fileName, Buffer bytes) {
        String id = ids.next("med");
        String safeName = fileName == null ? null : fileName.replaceAll("[/\\\\\\x00-\\x1f]", "_");
        // Bytes first, row second, as for uploads: a crash leaves an orphan file, never a row without bytes.
        return files.write(id, bytes)
                .compose(sha -> repository.register(id, number, contentType, bytes.length(), sha, safeName))
                .map(m -> new Part.Media(m.id(), m.contentType(), m.size(), m.fileName()));
    }
}
