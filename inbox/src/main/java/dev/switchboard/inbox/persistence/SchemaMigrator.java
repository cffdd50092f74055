package dev.switchboard.inbox.persistence;

import org.flywaydb.core.Flyway;

/**
 * Brings the schema up to date with the versioned migrations in {@code db/migration}. It runs
 * over JDBC, once, before any verticle starts: Flyway is blocking by design.
 */
public final class SchemaMigrator {
    private SchemaMigrator() {}

    public static int migrate(String jdbcUrl, String user, String password) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
