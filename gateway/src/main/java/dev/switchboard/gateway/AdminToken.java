package dev.switchboard.gateway;

import dev.switchboard.gateway.config.Secret;
import dev.switchboard.inbox.persistence.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The admin token: the configured one, or one generated on first start and kept in the data
 * folder. A generated token is printed once, when it is made, and never logged.
 */
final class AdminToken {
    static final String FILE = "admin.token";

    private AdminToken() {}

    static Secret resolve(Optional<Secret> configured, Path dataDir, Ids ids) throws IOException {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return new Secret(Files.readString(file, StandardCharsets.UTF_8).trim());
        }
        String token = ids.secret();
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the data folder's own permissions are all there is.
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("Generated admin token (shown once; kept in " + file + "): " + token);
        return new Secret(token);
    }
}
