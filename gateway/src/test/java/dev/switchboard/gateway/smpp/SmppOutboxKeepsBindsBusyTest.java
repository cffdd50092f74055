package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox keeps a carrier's binds busy: it claims again while earlier messages still wait for
 * their submit_sm_resp (up to the binds' total window, not one batch at a time), and receipts
 * waiting on their commit do not hold back the responses to our submits.
 */
class SmppOutboxKeepsBindsBusyTest {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String SERVED = "+390618180001";
    private static final int BINDS = 2;
    private static final int WINDOW = 64;

    // The SMSC waits for Switchboard's deliver_sm_resp as long as a test may take (only Switchboard ends a
    // receipt), and can hold a whole window of submit_sm unanswered on each bind.
    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw", Duration.ofSeconds(120), WINDOW);

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"binds\":" + BINDS + ",\"window\":" + WINDOW + ",\"throughput\":10000,\"receiptIdBase\":\"hex\","
                    + "\"prefixes\":[\"+44\"]}]"));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        smsc.awaitBinds(BINDS, WAIT);
    }

    @AfterAll
    static void stopSmsc() {
        smsc.close();
    }

    private static String text(SmscSimulator.Submitted s) {
        return new String(s.shortMessage(), StandardCharsets.US_ASCII);
    }

    private static Map<String, String> statuses(String conversationId) {
        Map<String, String> status = new HashMap<>();
        device.client().allMessages(conversationId).forEach(m -> status.put(m.get("id").asText(), m.get("status").asText()));
        return status;
    }

    private static int outboxRows(String peer, String state) throws SQLException {
        try (Connection c = gw.jdbc();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM outbox WHERE peer = ? AND state = ?")) {
            s.setString(1, peer);
            s.setString(2, state);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void aBacklogLargerThanOneClaimIsAllOutstandingAtTheSmscAtOnce() throws Exception {
        String peer = "+447700901000";
        int count = 100;
        assertTrue(count > 64 && count <= BINDS * WINDOW, "more than one claim, within the binds' window");
        int before = smsc.submitted().size();

        // The backlog: while the SMSC refuses binds, every message is claimed, finds no bind and waits for
        // the gateway's clock (held still) to make it due again.
        smsc.refuseBinds(true);
        smsc.dropAll();
        List<SentMessage> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(device.client().send(peer, "backlog-" + i));
        }
        Eventually.await("the whole backlog waiting for a bind", WAIT, () -> {
            try {
                return outboxRows(peer, "pending") == count;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(before, smsc.submitted().size(), "nothing went out without a bind");

        // The SMSC comes back and answers nothing: each submit keeps its window slot until released.
        smsc.holdResponses();
        smsc.refuseBinds(false);
        smsc.awaitBinds(BINDS, WAIT);
        gw.clock.advance(Duration.ofSeconds(5));
        smsc.awaitHeld(count, WAIT);
        // Held at once, not a claim of 64 and the rest after it settled: settling would take jsmpp's 10 s
        // response timeout, which puts a message back in the queue (pending) on the still clock.
        assertEquals(count, outboxRows(peer, "submitting"), "every message of the backlog still awaits its first response");

        smsc.releaseHeld();
        Eventually.await("every message sent", WAIT,
                () -> statuses(sent.get(0).conversationId()).values().stream().filter("sent"::equals).count() == count);
        Map<String, Integer> atSmsc = new HashMap<>();
        smsc.submitted().subList(before, smsc.submitted().size()).forEach(s -> atSmsc.merge(text(s), 1, Integer::sum));
        assertEquals(count, atSmsc.size());
        atSmsc.forEach((t, n) -> assertEquals(1, n, t + " submitted once"));
    }

    @Test
    void receiptsWaitingOnTheirCommitDoNotHoldBackSubmitResponses() throws Exception {
        smsc.awaitBinds(BINDS, WAIT);
        // More receipts stuck at once than jsmpp's default of 3 PDU threads per bind.
        int stuck = 4;
        int before = smsc.submitted().size();
        List<SentMessage> first = new ArrayList<>();
        for (int i = 0; i < stuck; i++) {
            first.add(device.client().send("+44770090110" + i, "stuck-" + i));
        }
        smsc.awaitSubmitted(before + stuck, WAIT);
        Map<String, String> smscIdByMessage = new HashMap<>();
        Eventually.await("the first messages' SMSC ids committed", WAIT, () -> {
            smscIdByMessage.clear();
            try (Connection c = gw.jdbc(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT message_id, smsc_id, smsc_id_norm FROM sms_submissions")) {
                while (rs.next()) {
                    smscIdByMessage.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return first.stream().allMatch(m -> smscIdByMessage.containsKey(m.id()));
        });

        ExecutorService receipts = Executors.newFixedThreadPool(stuck);
        try (Connection locks = gw.jdbc()) {
            // The receipts' transactions wait behind these: the lock DeliveryTracker takes per (carrier, SMSC id).
            for (SentMessage m : first) {
                try (PreparedStatement s = locks.prepareStatement("SELECT pg_advisory_lock(hashtext('acme'), hashtext(?))")) {
                    s.setString(1, smscIdByMessage.get(m.id()).split(" ")[1]);
                    s.execute();
                }
            }
            List<Future<?>> answered = new ArrayList<>();
            for (SentMessage m : first) {
                String smscId = smscIdByMessage.get(m.id()).split(" ")[0];
                answered.add(receipts.submit(() -> {
                    smsc.receipt(smscId, "DELIVRD", "000");
                    return null;
                }));
            }
            Eventually.await("every receipt waiting for its commit", WAIT, () -> waitersOn(locks) == stuck);

            // New messages go out while the receipts hold their threads: their submit_sm_resp are handled.
            // One per bind, as submits take the binds in turn, so the bind the receipts came on has one.
            List<SentMessage> next = new ArrayList<>();
            for (int i = 0; i < BINDS; i++) {
                next.add(device.client().send("+44770090119" + i, "not-held-back-" + i));
            }
            Eventually.await("the new messages sent", WAIT,
                    () -> next.stream().allMatch(m -> "sent".equals(statuses(m.conversationId()).get(m.id()))));
            // Switchboard answers a receipt only after its commit, or after giving up (10 s) with a retry-later:
            // with jsmpp's 3 PDU threads, that give-up was what freed a thread for the response.
            for (Future<?> a : answered) {
                assertTrue(!a.isDone(), "no receipt answered while its commit waits");
            }
            locks.createStatement().execute("SELECT pg_advisory_unlock_all()");
            for (Future<?> a : answered) {
                a.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            receipts.shutdownNow();
        }
        for (SentMessage m : first) {
            Eventually.await(m.id() + " delivered", WAIT, () -> "delivered".equals(statuses(m.conversationId()).get(m.id())));
        }
    }

    /** Transactions of other sessions waiting for an advisory lock that {@code holder} holds. */
    private static int waitersOn(Connection holder) {
        try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*) FROM pg_locks w JOIN pg_locks h ON h.locktype = 'advisory' AND h.granted
                    AND h.pid = pg_backend_pid() AND h.classid = w.classid AND h.objid = w.objid AND h.objsubid = w.objsubid
                WHERE w.locktype = 'advisory' AND NOT w.granted""")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
