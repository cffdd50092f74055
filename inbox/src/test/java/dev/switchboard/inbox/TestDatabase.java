package dev.switchboard.inbox;

import dev.switchboard.inbox.persistence.SchemaMigrator;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One real PostgreSQL per test JVM; each test class gets a fresh, migrated database in it. */
public final class TestDatabase {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabase() {}

    private static synchronized EmbeddedPostgres server() throws IOException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the server's folder is temporary anyway.
                }
            }));
        }
        return postgres;
    }

    /** Creates a new, migrated database and returns its JDBC URL (user {@code postgres}, no password). */
    public static String freshDatabaseUrl() throws Exception {
        EmbeddedPostgres pg = server();
        String name = "switchboard_test_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name;
        SchemaMigrator.migrate(url, "postgres", null);
        return url;
    }

    /** Creates a new, migrated database and returns a pool on it. */
    public static Pool freshPool(Vertx vertx, int size) throws Exception {
        String url = freshDatabaseUrl();
        java.net.URI uri = java.net.URI.create(url.substring(5));
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size))
                .connectingTo(new PgConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
                        .setDatabase(uri.getPath().substring(1)).setUser("postgres"))
                .using(vertx)
                .build();
    }
}
