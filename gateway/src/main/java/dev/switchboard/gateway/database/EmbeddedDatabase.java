package dev.switchboard.gateway.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server a newcomer gets without configuring anything. Its data directory is
 * persistent and never wiped, so a restarted gateway finds every message where it left it, and it
 * runs durably (every commit flushed to disk), unlike the embedded library's test defaults.
 * Starting and stopping block; both run before the event loops start or after they stop.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) { this.postgres = postgres; }

    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath().normalize();
        Files.createDirectories(pgData);
        stopOrphan(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200")
                // The library's defaults are for throwaway test databases: fsync and synchronous_commit
                // off. This folder holds the inbox, and a carrier is answered once its message is
                // committed, so a commit must survive a power cut: flush it (the group commit of
                // inbound messages keeps that to one flush per batch).
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres pg = builder.start();
        LOG.info("embedded PostgreSQL started on port {} with data in {}", pg.getPort(), pgData);
        return new EmbeddedDatabase(pg);
    }

    /**
     * A gateway killed with SIGKILL cannot stop the PostgreSQL it started, which keeps running on
     * the data folder and would keep the next start from ever coming up. Stop it first: its clients
     * died with the old gateway, and PostgreSQL's own shutdown keeps every committed transaction.
     */
    private static void stopOrphan(Path pgData) throws IOException {
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            return; // not initialised yet: nothing can be running on it, and initdb needs the folder empty
        }
        // The embedded server's lock file is held by the gateway process that started it, and the OS
        // releases it when that process dies: only if we can take it is a running postmaster an orphan.
        java.nio.file.Path lock = pgData.resolve("epg-lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held;
            try {
                held = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                held = null;
            }
            if (held == null) {
                throw new IOException("another gateway is using the data folder " + pgData.getParent());
            }
            try {
                stopOrphanUnderLock(pgData);
            } finally {
                held.release();
            }
        }
    }

    private static void stopOrphanUnderLock(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException unreadable) {
            return; // PostgreSQL itself deals with a stale or torn lock file
        }
        java.util.Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warn("the embedded PostgreSQL of a gateway that did not stop cleanly still runs (pid {}); stopping it", pid);
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the embedded PostgreSQL left running (pid " + pid + ") did not stop", e);
        }
    }

    public DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        LOG.info("embedded PostgreSQL stopped");
    }
}
