package dev.switchboard.carrier.smpp.server;

import dev.switchboard.inbox.messages.AccountReceiptStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jsmpp.bean.OptionalParameter;

/**
 * The deliver_sm we send an account about a message it submitted, in the text form most ESMEs
 * parse ({@code id:... sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:...
 * err:000 text:...}) plus the TLVs receipted_message_id and message_state, which parsers prefer.
 *
 * <p>Delivered: an SMSC delivery receipt, esm_class 0x04, stat DELIVRD, message_state 2.
 *
 * <p>Read: SMPP 3.4 has no "read" message_state. We send it as an SME Manual/User Acknowledgement
 * (esm_class 0x10, SMPP 3.4 section 5.2.12), and only to a submit_sm that asked for one
 * (registered_delivery bits 2-3 = 10 or 11). That is the standard PDU for "the recipient user
 * acknowledged the message", and being opt-in it never reaches an ESME that does not expect it: a
 * second esm_class 0x04 receipt with a made-up stat READ would reach every ESME that asked for a
 * plain receipt, where it is at best a duplicate final receipt and at worst an unparsable state
 * (and text parsers disagree on unknown stats). Its text keeps the receipt form with stat READ and
 * message_state stays 2 (DELIVERED), which is still true of the message.
 */
final class ReceiptPdus {
    static final int ESM_SMSC_DELIVERY_RECEIPT = 0x04;
    static final int ESM_SME_USER_ACK = 0x10;
    private static final byte MESSAGE_STATE_DELIVERED = 2;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);

    private ReceiptPdus() {}

    static AccountSessions.Deliver of(AccountReceiptStore.Pending r) {
        boolean read = r.kind().equals("read");
        String text = "id:" + r.smppId() + " sub:001 dlvrd:001 submit date:" + date(r.submittedAt()) + " done date:" + date(r.doneAt())
                + " stat:" + (read ? "READ" : "DELIVRD") + " err:000 text:" + first20(r.text());
        // From the recipient back to the originator, as an SMSC sends receipts.
        return new AccountSessions.Deliver(r.servedNumber(), r.peer(), read ? ESM_SME_USER_ACK : ESM_SMSC_DELIVERY_RECEIPT, (byte) 0,
                text.getBytes(StandardCharsets.US_ASCII), List.of(new OptionalParameter.Receipted_message_id(r.smppId()),
                        new OptionalParameter.Message_state(MESSAGE_STATE_DELIVERED)));
    }

    private static String date(Instant at) {
        return DATE.format(at);
    }

    /** The first 20 characters, as printable ASCII: anything else becomes '?' (data_coding 0 means ASCII to most parsers). */
    private static String first20(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(20).forEach(c -> out.append(c >= 0x20 && c < 0x7F ? (char) c : '?'));
        return out.toString();
    }
}
