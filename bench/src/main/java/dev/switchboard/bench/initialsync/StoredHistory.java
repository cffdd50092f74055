package dev.switchboard.bench.initialsync;

import dev.switchboard.bench.support.BenchDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway holds for the number after seeding, read straight from the database: the truth
 * the device's copy is checked against (message ids with their texts, conversation ids).
 */
public record StoredHistory(Map<String, String> textById, Set<String> conversationIds) {

    public static StoredHistory load(BenchDatabase db, String number) throws Exception {
        Map<String, String> texts = new HashMap<>();
        Set<String> conversations = new HashSet<>();
        try (Connection c = db.jdbc()) {
            try (PreparedStatement st = c.prepareStatement("SELECT id, content->'parts'->0->>'text' FROM messages WHERE number = ?")) {
                st.setString(1, number);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        texts.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM conversations WHERE number = ?")) {
                st.setString(1, number);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        conversations.add(rs.getString(1));
                    }
                }
            }
        }
        return new StoredHistory(texts, conversations);
    }

    /** How many stored messages carry each seeded text (a text stored twice is a duplicate from ingest). */
    public Map<String, Integer> textCounts() {
        Map<String, Integer> counts = new HashMap<>();
        textById.values().forEach(t -> counts.merge(t, 1, Integer::sum));
        return counts;
    }
}
