package dev.switchboard.gateway.e2ee;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Looks for plaintext in every column of the gateway's database that could hold it: each text,
 * varchar, char, json, jsonb and bytea column (and arrays of text) of every table in the public
 * schema, as information_schema lists them, read in full. A bytea value is searched as raw bytes
 * (its UTF-8 text would be there verbatim) and as its hex form.
 */
public final class PlaintextScan {

    public record Hit(String table, String column, String marker) {
    }

    private PlaintextScan() {
    }

    static List<String> scannedColumns(Connection db) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("""
                SELECT table_name, column_name FROM information_schema.columns
                 WHERE table_schema = 'public'
                   AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
                        OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))
                 ORDER BY table_name, column_name""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                columns.add(rows.getString(1) + "." + rows.getString(2));
            }
        }
        return columns;
    }

    /** Every (table, column, marker) where a stored value contains the marker. */
    public static List<Hit> find(Connection db, Collection<String> markers) throws SQLException {
        List<Hit> hits = new ArrayList<>();
        for (String qualified : scannedColumns(db)) {
            String table = qualified.substring(0, qualified.indexOf('.'));
            String column = qualified.substring(qualified.indexOf('.') + 1);
            String sql = "SELECT \"" + column + "\"::text, " + bytesOf(db, table, column) + " FROM \"" + table + "\"";
            try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    String text = rows.getString(1);
                    byte[] raw = rows.getBytes(2);
                    String rawText = raw == null ? null : new String(raw, StandardCharsets.ISO_8859_1);
                    for (String marker : markers) {
                        if ((text != null && text.contains(marker)) || (rawText != null && rawText.contains(marker))) {
                            hits.add(new Hit(table, column, marker));
                        }
                    }
                }
            }
        }
        return hits;
    }

    /** The column's raw bytes when it is bytea, else NULL. */
    private static String bytesOf(Connection db, String table, String column) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? AND column_name = ?")) {
            query.setString(1, table);
            query.setString(2, column);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return "bytea".equals(rows.getString(1)) ? "\"" + column + "\"" : "NULL::bytea";
            }
        }
    }
}
