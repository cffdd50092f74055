package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.DeliveryAttempt;
import dev.switchboard.inbox.model.Direction;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.SmsDetails;
import dev.switchboard.inbox.model.StatusChange;
import dev.switchboard.inbox.persistence.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one mapping between message rows and {@link Message} records.
 *
 * <p>{@code status_history} is a JSONB array of {@code {"status", "at", "reason"}}; every statement
 * that sets {@code status} appends {@link #historyStep} to it in the same UPDATE (see
 * {@link #appendHistory}), so the history always ends with the current status.
 */
final class MessageRows {
    static final String COLUMNS = "id, conversation_id, number, direction, from_number, to_number, channel, status,"
            + " status_reason, content, e2ee, created_at, updated_at, status_history, sms_segments, sms_encoding, sms_carrier, attempts, payload_id";

    private static final int COLUMN_COUNT = COLUMNS.split(",").length;

    /** The SET clause fragment that appends parameter {@code $n} (a one-element JSON array) to the history. */
    static String appendHistory(int n) {
        return "status_history = status_history || $" + n + "::jsonb";
    }

    private MessageRows() {}

    static Message map(Row r) {
        SmsDetails sms = r.getInteger("sms_segments") == null ? null
                : new SmsDetails(r.getInteger("sms_segments"), r.getString("sms_encoding"), r.getString("sms_carrier"));
        return new Message(r.getString("id"), r.getString("conversation_id"), r.getString("number"),
                Direction.fromWire(r.getString("direction")), r.getString("from_number"), r.getString("to_number"),
                Channel.fromWire(r.getString("channel")), MessageStatus.fromWire(r.getString("status")),
                r.getString("status_reason"), MessageJson.contentFromJson((JsonObject) r.getValue("content")),
                r.getBoolean("e2ee"), Times.instant(r.getOffsetDateTime("created_at")),
                Times.instant(r.getOffsetDateTime("updated_at")), history((JsonArray) r.getValue("status_history")), sms,
                attempts((JsonArray) r.getValue("attempts")), r.getString("payload_id"));
    }

    private static List<DeliveryAttempt> attempts(JsonArray stored) {
        List<DeliveryAttempt> out = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            JsonObject a = stored.getJsonObject(i);
            out.add(new DeliveryAttempt(Channel.fromWire(a.getString("channel")), a.getString("provider"), a.getString("result"),
                    a.getString("reason"), Instant.parse(a.getString("at"))));
        }
        return out;
    }

    /** The stored form of one attempt, as a one-element array ready to be appended with {@code ||}. */
    static JsonArray attemptStep(DeliveryAttempt a) {
        return new JsonArray().add(attemptJson(a));
    }

    private static JsonObject attemptJson(DeliveryAttempt a) {
        return MessageJson.attemptJson(a);
    }

    private static List<StatusChange> history(JsonArray stored) {
        List<StatusChange> steps = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            JsonObject step = stored.getJsonObject(i);
            steps.add(new StatusChange(MessageStatus.fromWire(step.getString("status")), Instant.parse(step.getString("at")),
                    step.getString("reason")));
        }
        return steps;
    }

    /** The stored form of one history step, as a one-element array ready to be appended with {@code ||}. */
    static JsonArray historyStep(MessageStatus status, Instant at, String reason) {
        return new JsonArray().add(stepJson(new StatusChange(status, at, reason)));
    }

    private static JsonObject stepJson(StatusChange step) {
        return new JsonObject().put("status", step.status().wire()).put("at", step.at().toString()).put("reason", step.reason());
    }

    private static String placeholders(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
    }

    static final String INSERT = "INSERT INTO messages (" + COLUMNS + ", counterpart_id)"
            + " VALUES (" + placeholders(COLUMN_COUNT + 1) + ")";

    static final String INSERT_WITH_CARRIER_REF = "INSERT INTO messages (" + COLUMNS + ", counterpart_id, carrier_ref)"
            + " VALUES (" + placeholders(COLUMN_COUNT + 2) + ")";

    static Tuple insertArgs(Message m, String counterpartId) {
        return Tuple.wrap(args(m, counterpartId));
    }

    static Tuple insertArgs(Message m, String counterpartId, String carrierRef) {
        Object[] base = args(m, counterpartId);
        Object[] all = Arrays.copyOf(base, base.length + 1);
        all[base.length] = carrierRef;
        return Tuple.wrap(all);
    }

    private static Object[] args(Message m, String counterpartId) {
        JsonArray history = new JsonArray();
        m.statusHistory().forEach(step -> history.add(stepJson(step)));
        SmsDetails sms = m.sms();
        return new Object[] {m.id(), m.conversationId(), m.number(), m.direction().wire(), m.from(), m.to(),
                m.channel().wire(), m.status().wire(), m.statusReason(), MessageJson.contentJson(m.content()), m.e2ee(),
                Times.db(m.createdAt()), Times.db(m.updatedAt()), history, sms == null ? null : sms.segments(),
                sms == null ? null : sms.encoding(), sms == null ? null : sms.carrier(), attemptsJson(m.attempts()), m.payloadId(), counterpartId};
    }

    private static JsonArray attemptsJson(List<DeliveryAttempt> attempts) {
        return MessageJson.attemptsJson(attempts);
    }
}
