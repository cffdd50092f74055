package dev.switchboard.gateway.media;

import dev.switchboard.inbox.persistence.Hashes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;

/** Stores media bytes under {@code media.dir}; ids are server-generated, so they are safe file names. */
public final class MediaFiles {
    private final Vertx vertx;
    private final Path dir;

    public MediaFiles(Vertx vertx, Path dir) {
        this.vertx = vertx;
        this.dir = dir.toAbsolutePath();
    }

    public Future<Void> init() {
        return vertx.fileSystem().mkdirs(dir.toString());
    }

    /** Hashes on a worker (media can be megabytes), then writes; returns the hex SHA-256. */
    public Future<String> write(String id, Buffer bytes) {
        return vertx.executeBlocking(() -> Hashes.sha256Hex(bytes.getBytes()), false)
                .compose(sha -> vertx.fileSystem().writeFile(path(id), bytes).map(sha));
    }

    public String path(String id) {
        return dir.resolve(id).toString();
    }
}
