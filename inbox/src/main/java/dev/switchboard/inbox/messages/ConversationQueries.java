package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Conversation;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.persistence.Times;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Read side of the inbox: conversation lists and message history, always scoped to one number. */
public final class ConversationQueries {

    public record ConversationPage(List<Conversation> conversations, String next) {}

    public record MessagePage(List<Message> messages, String next) {}

    /** Where a typing notice goes: the conversation's peer and, on-net, the peer's own conversation id. */
    public record TypingTarget(String conversationId, String peer, String peerConversationId) {}

    private final Pool pool;

    public ConversationQueries(Pool pool) { this.pool = pool; }

    /**
     * The number's conversations, most recently updated first, each with its last message: up to
     * {@code limit}, fewer when those previews' ciphertext would pass
     * {@link EncryptedPayloads#MAX_PAGE_CIPHERTEXT} (always at least one); {@code next} is set whenever more are left.
     */
    public Future<ConversationPage> conversations(String number, int limit, String cursor, String peer) {
        Instant afterTime = null;
        String afterId = null;
        if (cursor != null) {
            String[] decoded = decodeCursor(cursor);
            afterTime = Instant.parse(decoded[0]);
            afterId = decoded[1];
        }
        return pool.preparedQuery("""
                SELECT c.id, c.number, c.peer, c.channel, c.updated_at, c.unsubscribed_at,
                    e2ee_capable(c.number) AND e2ee_capable(c.peer) AS e2ee,
                    (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' AND m.status <> 'read') AS unread
                FROM conversations c
                WHERE c.number = $1 AND ($2::text IS NULL OR c.peer = $2)
                    AND ($3::timestamptz IS NULL OR (c.updated_at, c.id) < ($3, $4))
                ORDER BY c.updated_at DESC, c.id DESC LIMIT $5""")
                .execute(Tuple.of(number, peer, Times.db(afterTime), afterId, limit + 1))
                .compose(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    boolean full = list.size() > limit;
                    List<Row> fetched = full ? list.subList(0, limit) : list;
                    return lastMessages(fetched.stream().map(r -> r.getString("id")).toList()).map(lastAndBytes -> {
                        Map<String, Message> last = lastAndBytes.messages();
                        // Each preview of an e2ee message carries its ciphertext: end the page within the budget.
                        long[] bytes = fetched.stream().mapToLong(r -> lastAndBytes.bytes().getOrDefault(r.getString("id"), 0L)).toArray();
                        List<Row> page = fetched.subList(0, EncryptedPayloads.withinBudget(bytes));
                        boolean more = full || page.size() < fetched.size();
                        List<Conversation> out = new ArrayList<>();
                        for (Row r : page) {
                            out.add(new Conversation(r.getString("id"), r.getString("number"), r.getString("peer"),
                                    Channel.fromWire(r.getString("channel")), last.get(r.getString("id")),
                                    r.getLong("unread").intValue(), Times.instant(r.getOffsetDateTime("updated_at")),
                                    r.getValue("unsubscribed_at") != null, r.getBoolean("e2ee")));
                        }
                        String next = more ? encodeCursor(out.get(out.size() - 1)) : null;
                        return new ConversationPage(out, next);
                    });
                });
    }

    /** Each conversation's last message, and the ciphertext bytes its preview carries (by conversation id). */
    private record LastMessages(Map<String, Message> messages, Map<String, Long> bytes) {}

    /*
     * One probe of messages_by_conversation (conversation_id, pos DESC) per conversation: the cost is
     * the page's size, not its conversations' history (a DISTINCT ON over conversation_id = ANY(...)
     * reads and sorts every message of them, which made the first page of a long-lived number slow).
     */
    private static final String LAST_MESSAGES = """
            SELECT last.* FROM unnest($1::text[]) AS page(conversation_id)
            CROSS JOIN LATERAL (SELECT %s, %s AS bytes FROM messages
                                WHERE messages.conversation_id = page.conversation_id ORDER BY pos DESC LIMIT 1) last"""
            .formatted(MessageRows.COLUMNS, EncryptedPayloads.CIPHERTEXT_BYTES);

    private Future<LastMessages> lastMessages(List<String> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Future.succeededFuture(new LastMessages(Map.of(), Map.of()));
        }
        return pool.preparedQuery(LAST_MESSAGES)
                .execute(Tuple.of(conversationIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Message> out = new HashMap<>();
                    Map<String, Long> bytes = new HashMap<>();
                    rows.forEach(r -> {
                        out.put(r.getString("conversation_id"), MessageRows.map(r));
                        bytes.put(r.getString("conversation_id"), r.getLong("bytes"));
                    });
                    return new LastMessages(out, bytes);
                });
    }

    /*
     * A page of messages, newest first: the next limit + 1 before the cursor, cut where the running
     * sum of their ciphertext would pass the page budget (the first message always stays); "available"
     * counts the rows before the cut, so a cut page knows it has more.
     */
    private static final String MESSAGES = """
            SELECT %1$s, available FROM (
                SELECT %1$s, pos, row_number() OVER w AS n, sum(bytes) OVER w AS running, count(*) OVER () AS available
                FROM (SELECT %1$s, pos, %2$s AS bytes FROM messages
                      WHERE conversation_id = $1 AND ($2::bigint IS NULL OR pos < $2) ORDER BY pos DESC LIMIT $3) m
                WINDOW w AS (ORDER BY pos DESC)) t
            WHERE n = 1 OR running <= $4
            ORDER BY pos DESC""".formatted(MessageRows.COLUMNS, EncryptedPayloads.CIPHERTEXT_BYTES);

    /**
     * Messages before {@code before} (a message id), newest first: up to {@code limit}, fewer when
     * their ciphertext would pass {@link EncryptedPayloads#MAX_PAGE_CIPHERTEXT} (always at least one);
     * {@code next} is the last one's id whenever more are left.
     */
    public Future<MessagePage> messages(String number, String conversationId, String before, int limit) {
        return pool.preparedQuery("""
                SELECT (SELECT pos FROM messages WHERE id = $3 AND conversation_id = $1) AS before_pos
                FROM conversations WHERE id = $1 AND number = $2""")
                .execute(Tuple.of(conversationId, number, before))
                .compose(rows -> {
                    if (rows.size() != 1) {
                        return Future.failedFuture(InboxException.notFound("conversation"));
                    }
                    Long beforePos = rows.iterator().next().getLong("before_pos");
                    if (before != null && beforePos == null) {
                        return Future.failedFuture(InboxException.invalid("before", "no such message in this conversation"));
                    }
                    return pool.preparedQuery(MESSAGES)
                            .execute(Tuple.of(conversationId, beforePos, limit + 1, EncryptedPayloads.MAX_PAGE_CIPHERTEXT))
                            .map(messages -> {
                                List<Message> out = new ArrayList<>();
                                long available = 0;
                                for (Row r : messages) {
                                    out.add(MessageRows.map(r));
                                    available = r.getLong("available");
                                }
                                while (out.size() > limit) {
                                    out.remove(out.size() - 1);
                                }
                                boolean more = available > out.size();
                                return new MessagePage(out, more ? out.get(out.size() - 1).id() : null);
                            });
                });
    }

    /** One message of the number's inbox; 404 for any other number's. */
    public Future<Message> message(String number, String messageId) {
        return pool.preparedQuery("SELECT " + MessageRows.COLUMNS + " FROM messages WHERE id = $1 AND number = $2")
                .execute(Tuple.of(messageId, number))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(MessageRows.map(rows.iterator().next()))
                        : Future.failedFuture(InboxException.notFound("message")));
    }

    public Future<TypingTarget> typingTarget(String number, String conversationId) {
        return pool.preparedQuery("""
                SELECT c.peer, p.id AS peer_conversation FROM conversations c
                LEFT JOIN conversations p ON p.number = c.peer AND p.peer = c.number
                WHERE c.id = $1 AND c.number = $2""")
                .execute(Tuple.of(conversationId, number))
                .compose(rows -> {
                    if (rows.size() != 1) {
                        return Future.failedFuture(InboxException.notFound("conversation"));
                    }
                    Row r = rows.iterator().next();
                    return Future.succeededFuture(new TypingTarget(conversationId, r.getString("peer"), r.getString("peer_conversation")));
                });
    }

    private static String encodeCursor(Conversation c) {
        String raw = c.updatedAt() + "|" + c.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", 2);
            Instant.parse(parts[0]);
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            return parts;
        } catch (RuntimeException e) {
            throw InboxException.invalid("cursor", "not a cursor this server issued");
        }
    }
}
