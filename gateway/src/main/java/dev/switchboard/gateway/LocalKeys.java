package dev.switchboard.gateway;

import dev.switchboard.inbox.persistence.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * Secrets the gateway makes for itself on first start and keeps in the data folder, readable only
 * by its owner: the admin token, the key that signs public media links.
 */
final class LocalKeys {
    static final String MEDIA_LINK_KEY = "media-link.key";

    record Loaded(String value, boolean created) {}

    private LocalKeys() {}

    /** The key that signs public media links; the same across restarts, so links handed out stay valid. */
    static byte[] mediaLinkKey(Path dataDir, Ids ids) throws IOException {
        return readOrCreate(dataDir.resolve(MEDIA_LINK_KEY), ids::secret).value().getBytes(StandardCharsets.US_ASCII);
    }

    static Loaded readOrCreate(Path file, Supplier<String> fresh) throws IOException {
        if (Files.exists(file)) {
            return new Loaded(Files.readString(file, StandardCharsets.UTF_8).trim(), false);
        }
        String value = fresh.get();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the data folder's own permissions are all there is.
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return new Loaded(value, true);
    }
}
