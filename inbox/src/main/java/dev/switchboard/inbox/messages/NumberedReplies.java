package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Suggestion;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an SMS answer "2" back to the second suggestion of the message it answers. Rich messages
 * sent as SMS list their suggestions numbered ({@link MessageContent#numberedSuggestions()}); a
 * reply that is just such a number (1 to 99, optionally followed by "." or ")", spaces around
 * allowed) is stored with {@code inReplyTo} set, as if the user had tapped the suggestion, while its
 * parts stay as received.
 *
 * <p>Only the conversation's latest outbound SMS counts: once a newer message went out, an old list
 * no longer applies, and a number beyond the list is just text.
 */
final class NumberedReplies {
    private static final Pattern NUMBER = Pattern.compile("([1-9][0-9]?)[.)]?");

    private NumberedReplies() {}

    /** The number a reply picks, if its text is only that. */
    static OptionalInt parse(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        Matcher m = NUMBER.matcher(text.trim());
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** What a suggestion answers with: a reply's postback data (its text without one), an action's text. */
    static MessageContent.InReplyTo answer(Suggestion s) {
        String postbackData = s instanceof Suggestion.Reply r && r.postbackData() != null ? r.postbackData() : s.text();
        return new MessageContent.InReplyTo(postbackData, s.text());
    }

    /**
     * The content to store for an inbound message in the conversation: with {@code inReplyTo} when
     * it is an SMS numbered answer to the latest outbound SMS's suggestions, else unchanged.
     */
    static Future<MessageContent> resolve(Tx tx, String conversationId, Channel channel,
                                          MessageContent content) {
        if (channel != Channel.SMS || content.inReplyTo() != null) {
            return Future.succeededFuture(content);
        }
        OptionalInt number = parse(content.text());
        if (number.isEmpty()) {
            return Future.succeededFuture(content);
        }
        int n = number.getAsInt();
        return tx.query("""
                SELECT content FROM messages WHERE conversation_id = $1 AND direction = 'out' AND channel = 'sms'
                ORDER BY pos DESC LIMIT 1""", Tuple.of(conversationId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return content;
                    }
                    Object stored = rows.iterator().next().getValue("content");
                    if (!(stored instanceof JsonObject json)) {
                        return content;
                    }
                    List<Suggestion> suggestions;
                    try {
                        suggestions = MessageJson.contentFromJson(json).numberedSuggestions();
                    } catch (RuntimeException e) {
                        // A stored message this version cannot read must not block the inbound one: no mapping.
                        return content;
                    }
                    if (n > suggestions.size()) {
                        return content;
                    }
                    return new MessageContent(content.parts(), content.suggestions(), answer(suggestions.get(n - 1)));
                });
    }
}
