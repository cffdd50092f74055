package dev.switchboard.gateway;

import dev.switchboard.gateway.config.Secret;
import dev.switchboard.inbox.persistence.Ids;
import java.io.IOException;
import java.nio.file.Path;
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
        LocalKeys.Loaded loaded = LocalKeys.readOrCreate(file, ids::secret);
        if (loaded.created()) {
            System.out.println("Generated admin token (shown once; kept in " + file + "): " + loaded.value());
        }
        return new Secret(loaded.value());
    }
}
