package dev.switchboard.gateway.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.persistence.SchemaMigrator;
import dev.switchboard.inbox.persistence.Statements;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end payload read ({@link EncryptedPayloads}) runs once per device for every streamed
 * message. Kept prepared, PostgreSQL switched it to a generic plan made while the tables were nearly
 * empty (sequential scans of every payload and of every wrapped key of the device), and kept that
 * plan while the tables grew: the fanout benchmark's PostgreSQL CPU per message grew with the whole
 * history. On a connection configured as the gateway's ({@link DatabaseEndpoint#connectOptions}),
 * the read must never run a generic plan, before or after the tables grow, while the other
 * statements stay prepared; and each device still reads only its own wrapped key.
 */
class PayloadPlanTest {
    private static final String A = "+390620900101";
    private static final String B = "+390620900102";

    @TempDir
    Path dir;

    @Test
    void thePayloadReadIsPlannedForEachExecutionAndEachDeviceGetsOnlyItsKey() throws Exception {
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir, 0)) {
            DatabaseEndpoint e = pg.endpoint();
            SchemaMigrator.migrate(e.jdbcUrl(), e.user(), null);
            Vertx vertx = Vertx.vertx();
            // One connection, so the statements it keeps prepared are visible in pg_prepared_statements.
            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(e.connectOptions()).using(vertx).build();
            try {
                await(pool.query("""
                        INSERT INTO numbers (number, created_at) VALUES ('%1$s', now()), ('%2$s', now());
                        INSERT INTO devices (id, number, kind, name, identity_key, encryption_key, created_at, last_seen_at)
                        SELECT 'dev_' || n || '_' || i, n, CASE WHEN i = 0 THEN 'primary' ELSE 'companion' END, 'd' || i, 'ik', 'ek', now(), now()
                        FROM unnest(ARRAY['%1$s', '%2$s']) AS n, generate_series(0, 4) AS i;
                        INSERT INTO devices (id, number, kind, name, identity_key, encryption_key, created_at, last_seen_at)
                        VALUES ('dev_late', '%2$s', 'companion', 'late', 'ik', 'ek', now(), now());
                        """.formatted(A, B)).execute());
                // A young database: a few messages, each with a wrapped key for the ten devices of both numbers.
                addMessages(pool, 0, 20);
                EncryptedPayloads payloads = new EncryptedPayloads(pool);
                for (int round = 0; round < 12; round++) {
                    checkViews(payloads, "e2p_" + (round % 20));
                }
                // The history grows by thousands of messages; the read keeps being planned for what it asks.
                addMessages(pool, 20, 3000);
                for (int round = 0; round < 12; round++) {
                    checkViews(payloads, "e2p_" + (2000 + round));
                }

                // A statement without the mark, run as often: kept prepared as before.
                for (int round = 0; round < 12; round++) {
                    await(pool.preparedQuery("SELECT count(*) FROM e2ee_keys WHERE payload_id = $1").execute(Tuple.of("e2p_" + round)));
                }
                List<Row> prepared = new ArrayList<>();
                await(pool.query("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements").execute())
                        .forEach(prepared::add);
                for (Row r : prepared) {
                    assertFalse(r.getString("statement").contains("e2ee_keys k"),
                            "the payload read must not be kept prepared (it would get a generic plan): " + r.toJson());
                }
                assertTrue(prepared.stream().anyMatch(r -> r.getString("statement").contains("FROM e2ee_keys WHERE payload_id")),
                        "other statements stay prepared: " + prepared.stream().map(Row::toJson).toList());
                assertFalse(Statements.cacheable(Statements.PLAN_PER_EXECUTION + "SELECT 1"));
                assertTrue(Statements.cacheable("SELECT 1"));
            } finally {
                await(pool.close());
                await(vertx.close());
            }
        }
    }

    /** Messages {@code from}..{@code to - 1}, from A to B, with a key for every device but the late one. */
    private static void addMessages(Pool pool, int from, int to) throws Exception {
        await(pool.query("""
                INSERT INTO e2ee_payloads (id, from_number, from_device_id, to_number, header, ciphertext, key_commitment,
                    signature, target_ids, created_at)
                SELECT 'e2p_' || m, '%1$s', 'dev_%1$s_0', '%2$s', '\\x01'::bytea, convert_to('ciphertext ' || m, 'UTF8'),
                    decode(repeat('ab', 32), 'hex'), decode(repeat('cd', 64), 'hex'),
                    ARRAY(SELECT 'dev_' || n || '_' || i FROM unnest(ARRAY['%1$s', '%2$s']) AS n, generate_series(0, 4) AS i ORDER BY 1),
                    now()
                FROM generate_series(%3$d, %4$d) AS m;
                INSERT INTO e2ee_keys (payload_id, number, device_id, encryption_key_id, wrapped_key)
                SELECT 'e2p_' || m, n, 'dev_' || n || '_' || i, '1',
                    decode(lpad(to_hex(m), 8, '0') || lpad(to_hex(i), 2, '0') || CASE WHEN n = '%1$s' THEN '00' ELSE '01' END
                        || repeat('00', 74), 'hex')
                FROM generate_series(%3$d, %4$d) AS m, unnest(ARRAY['%1$s', '%2$s']) AS n, generate_series(0, 4) AS i;
                """.formatted(A, B, from, to - 1)).execute());
    }

    /** Every target device reads the payload with its own key; a device that was not a target reads no key. */
    private static void checkViews(EncryptedPayloads payloads, String payloadId) throws Exception {
        int m = Integer.parseInt(payloadId.substring(4));
        JsonObject stored = new JsonObject().put("id", "msg_" + m).put(MessageJson.PAYLOAD_REFERENCE, payloadId);
        for (String n : List.of(A, B)) {
            for (int i = 0; i < 5; i++) {
                JsonObject encrypted = await(payloads.message("dev_" + n + "_" + i, stored)).getJsonObject("encrypted");
                assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(("ciphertext " + m).getBytes()),
                        encrypted.getString("ciphertext"));
                byte[] key = Base64.getUrlDecoder().decode(encrypted.getJsonObject("key").getString("wrappedKey"));
                assertEquals(80, key.length);
                assertEquals(m, ((key[0] & 0xff) << 24) | ((key[1] & 0xff) << 16) | ((key[2] & 0xff) << 8) | (key[3] & 0xff));
                assertEquals(i, key[4], "device " + i + " of " + n + " must get its own key");
                assertEquals(n.equals(A) ? 0 : 1, key[5], "device " + i + " of " + n + " must get its own number's key");
                assertEquals(10, encrypted.getJsonArray("targets").size());
            }
        }
        JsonObject late = await(payloads.message("dev_late", stored)).getJsonObject("encrypted");
        assertNull(late.getValue("key"), "a device that was not a target gets no key");
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
