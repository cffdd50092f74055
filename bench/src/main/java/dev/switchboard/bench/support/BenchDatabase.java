package dev.switchboard.bench.support;

import dev.switchboard.gateway.database.DatabaseEndpoint;
import dev.switchboard.gateway.database.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL in a temporary folder, for one benchmark run: the gateway and the
 * baseline share it, so both are measured against the same server. Closing it deletes the folder.
 */
public final class BenchDatabase implements AutoCloseable {
    private final Path dataDir;
    private final EmbeddedDatabase pg;

    private BenchDatabase(Path dataDir, EmbeddedDatabase pg) {
        this.dataDir = dataDir;
        this.pg = pg;
    }

    public static BenchDatabase start() throws IOException {
        Path dir = Files.createTempDirectory("switchboard-bench");
        return new BenchDatabase(dir, EmbeddedDatabase.start(dir, 0));
    }

    public DatabaseEndpoint endpoint() {
        return pg.endpoint();
    }

    /** The run's scratch folder (the gateway's own data goes in a subfolder). */
    public Path dataDir() {
        return dataDir;
    }

    /** A plain JDBC connection, for setting up baselines and for the correctness checks. */
    public Connection jdbc() throws SQLException {
        DatabaseEndpoint e = endpoint();
        return DriverManager.getConnection(e.jdbcUrl(), e.user(), e.password() == null ? null : e.password().value());
    }

    @Override
    public void close() throws IOException {
        try {
            pg.close();
        } finally {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
