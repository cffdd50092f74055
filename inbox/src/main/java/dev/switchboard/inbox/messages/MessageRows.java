package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Direction;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.persistence.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The one mapping between message rows and {@link Message} records. */
final class MessageRows {
    static final String COLUMNS = "id, conversation_id, number, direction, from_number, to_number, channel, status,"
            + " status_reason, content, e2ee, created_at, updated_at";

    private MessageRows() {}

    static Message map(Row r) {
        return new Message(r.getString("id"), r.getString("conversation_id"), r.getString("number"),
                Direction.fromWire(r.getString("direction")), r.getString("from_number"), r.getString("to_number"),
                Channel.fromWire(r.getString("channel")), MessageStatus.fromWire(r.getString("status")),
                r.getString("status_reason"), MessageJson.contentFromJson((JsonObject) r.getValue("content")),
                r.getBoolean("e2ee"), Times.instant(r.getOffsetDateTime("created_at")),
                Times.instant(r.getOffsetDateTime("updated_at")));
    }

    static final String INSERT = "INSERT INTO messages (" + COLUMNS + ", counterpart_id)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

    static final String INSERT_WITH_CARRIER_REF = "INSERT INTO messages (" + COLUMNS + ", counterpart_id, carrier_ref)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

    static Tuple insertArgs(Message m, String counterpartId) {
        return Tuple.wrap(args(m, counterpartId));
    }

    static Tuple insertArgs(Message m, String counterpartId, String carrierRef) {
        Object[] base = args(m, counterpartId);
        Object[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = carrierRef;
        return Tuple.wrap(all);
    }

    private static Object[] args(Message m, String counterpartId) {
        return new Object[] {m.id(), m.conversationId(), m.number(), m.direction().wire(), m.from(), m.to(),
                m.channel().wire(), m.status().wire(), m.statusReason(), MessageJson.contentJson(m.content()), m.e2ee(),
                Times.db(m.createdAt()), Times.db(m.updatedAt()), counterpartId};
    }
}
