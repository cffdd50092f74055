package dev.switchboard.gateway.database;

import dev.switchboard.gateway.config.Secret;
import dev.switchboard.inbox.persistence.Statements;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;

/** Where the database is: the JDBC URL Flyway migrates through and the reactive client's options. */
public record DatabaseEndpoint(String jdbcUrl, String user, Secret password) {

    public PgConnectOptions connectOptions() {
        URI uri = URI.create(jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl);
        String path = uri.getPath() == null ? "" : uri.getPath();
        PgConnectOptions options = new PgConnectOptions()
                .setHost(uri.getHost() == null ? "localhost" : uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : 5432)
                .setDatabase(path.length() > 1 ? path.substring(1) : "postgres")
                .setUser(user)
                .setCachePreparedStatements(true)
                // Except the few statements whose plan must follow the tables' current size (Statements).
                .setPreparedStatementCacheSqlFilter(Statements::cacheable)
                .setPipeliningLimit(1);
        if (password != null) {
            options.setPassword(password.value());
        }
        return options;
    }

    @Override
    public String toString() {
        return "DatabaseEndpoint[" + jdbcUrl + ", user=" + user + "]";
    }
}
