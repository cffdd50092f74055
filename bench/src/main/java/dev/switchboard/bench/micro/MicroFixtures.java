package dev.switchboard.bench.micro;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.DeliveryAttempt;
import dev.switchboard.inbox.model.Direction;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.SmsDetails;
import dev.switchboard.inbox.model.StatusChange;
import dev.switchboard.inbox.model.SyncEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs every micro benchmark and its baseline share, fixed so that runs compare: the same
 * text, receipt, message and payload each time.
 */
public final class MicroFixtures {

    private static final String SENTENCE = "Switchboard: parcel 4829-1173 is out for delivery today between 14:00 and 16:00. "
            + "Reply STOP to opt out, HELP for help. [ref 7731] ";

    /**
     * An outbound text of three concatenated SMS. Pure ASCII so that {@code getBytes(US_ASCII)} is an
     * honest baseline (same characters, no replacement path); the brackets are GSM extension
     * characters, two septets each, so the escape handling is part of what is measured.
     */
    public static final String GSM_TEXT = (SENTENCE + SENTENCE + SENTENCE).strip();

    /** The concatenation reference of the planned segments (8-bit UDH). */
    public static final int CONCAT_REFERENCE = 42;

    /** The commonest receipt in the field: SMPP 3.4 appendix B text only, esm_class 0x04. */
    public static final String RECEIPT_TEXT = "id:0A1B2C3D4E sub:001 dlvrd:001 submit date:2611271530 done date:2611271531 "
            + "stat:DELIVRD err:000 text:Switchboard: parcel 4";
    public static final int RECEIPT_ESM_CLASS = 0x04;
    public static final String RECEIPT_ID = "0A1B2C3D4E";
    public static final String RECEIPT_STAT = "DELIVRD";
    public static final String RECEIPT_ERR = "000";
    public static final Instant RECEIPT_SUBMIT_DATE = Instant.parse("2026-11-27T15:30:00Z");
    public static final Instant RECEIPT_DONE_DATE = Instant.parse("2026-11-27T15:31:00Z");
    public static final String RECEIPT_TEXT_FIELD = "Switchboard: parcel 4";

    public static final String NUMBER = "+15550100";
    public static final long SEQ = 123_456;
    private static final Instant CREATED = Instant.parse("2026-11-27T15:30:00.123456Z");

    /** What HPKE wraps in the product: one message's 32-byte content key. */
    public static final int CONTENT_KEY_BYTES = 32;

    private MicroFixtures() {
    }

    /**
     * An outbound SMS that was delivered: three status steps, one attempt, SMS details. The shape of
     * the {@code message.updated} event a delivery receipt produces, the commonest event on the stream.
     */
    public static Message deliveredSms() {
        Instant sent = CREATED.plusMillis(180);
        Instant delivered = CREATED.plusMillis(4_250);
        return new Message("msg_01JDZK3Q8R5T6W7X8Y9Z0A1B2C", "conv_01JDZK0000AAAABBBBCCCCDDDD", NUMBER, Direction.OUT, NUMBER,
                "+15550199", Channel.SMS, MessageStatus.DELIVERED, null, MessageContent.text(GSM_TEXT.substring(0, 160)), false,
                CREATED, delivered,
                List.of(new StatusChange(MessageStatus.QUEUED, CREATED, null), new StatusChange(MessageStatus.SENT, sent, null),
                        new StatusChange(MessageStatus.DELIVERED, delivered, null)),
                new SmsDetails(1, "gsm7", "carrier-a"),
                List.of(new DeliveryAttempt(Channel.SMS, "carrier-a", "accepted", null, sent)));
    }

    /** The sync event as the inbox appends it: the message's JSON under the next sequence number. */
    public static SyncEvent syncEvent(Message m) {
        return new SyncEvent(m.number(), SEQ, SyncEvent.MESSAGE_UPDATED, m.updatedAt(), MessageJson.toJson(m));
    }

    /** The same document as plain {@link LinkedHashMap}s and {@link ArrayList}s, for the Jackson baseline. */
    public static Map<String, Object> plainMap(JsonObject json) {
        Map<String, Object> map = new LinkedHashMap<>();
        json.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
        return map;
    }

    private static Object plain(Object value) {
        if (value instanceof JsonObject o) {
            return plainMap(o);
        }
        if (value instanceof JsonArray a) {
            List<Object> list = new ArrayList<>(a.size());
            a.forEach(v -> list.add(plain(v)));
            return list;
        }
        return value;
    }

    /** A 32-byte content key: any fixed bytes will do, HPKE cost does not depend on them. */
    public static byte[] contentKey() {
        byte[] key = new byte[CONTENT_KEY_BYTES];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        return key;
    }

    /** The HPKE info of one wrapped key, as {@code MessageSealer} builds it. */
    public static byte[] hpkeInfo() {
        return Canonical.messageInfo("dev_01JDZK5SENDER0000000000", "dev_01JDZK5TARGET0000000000");
    }

    /** The HPKE aad of one wrapped key: the message header, as {@code MessageSealer} passes it. */
    public static byte[] hpkeAad() {
        return MessageHeader.of("msg_01JDZK3Q8R5T6W7X8Y9Z0A1B2C", NUMBER, "dev_01JDZK5SENDER0000000000", "+15550199",
                1_795_800_000_000L, 3, 5).encode();
    }
}
