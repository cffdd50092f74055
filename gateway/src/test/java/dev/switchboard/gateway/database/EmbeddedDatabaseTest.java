package dev.switchboard.gateway.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server holds the real inbox, so it must not inherit the embedding library's test
 * defaults (fsync and synchronous_commit off): a committed message must survive a power cut.
 */
class EmbeddedDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void commitsAreFlushedToDisk() throws Exception {
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0)) {
            DatabaseEndpoint e = pg.endpoint();
            try (Connection c = DriverManager.getConnection(e.jdbcUrl(), e.user(), e.password() == null ? null : e.password().value());
                 Statement s = c.createStatement()) {
                assertEquals("on", show(s, "fsync"));
                assertEquals("on", show(s, "synchronous_commit"));
                assertEquals("on", show(s, "full_page_writes"));
            }
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
