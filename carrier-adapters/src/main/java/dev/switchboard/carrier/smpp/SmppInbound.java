package dev.switchboard.carrier.smpp;

import dev.switchboard.carrier.sms.ConcatInfo;
import dev.switchboard.carrier.sms.ConcatMode;
import dev.switchboard.carrier.sms.DataCodingReader;
import dev.switchboard.carrier.sms.MalformedUdhException;
import dev.switchboard.carrier.sms.ReceivedCoding;
import dev.switchboard.carrier.sms.SarValues;
import dev.switchboard.carrier.sms.UdhParser;
import dev.switchboard.carrier.sms.UnsupportedDataCodingException;
import dev.switchboard.carrier.sms.UserData;
import dev.switchboard.inbox.messages.FragmentStore;
import dev.switchboard.inbox.messages.InboundFragment;
import dev.switchboard.inbox.messages.InboundMessage;
import dev.switchboard.inbox.messages.InboundService;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.SmsDetails;
import io.vertx.core.Future;
import java.util.Optional;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.MessageRequest;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both SMPP roles do with a short message for a served number (a submit_sm from a bound
 * account, a mobile-originated deliver_sm from a carrier): take the user data from
 * {@code short_message}, or from {@code message_payload} when short_message is empty; read the
 * concatenation, from a user data header (esm_class UDHI, IEI 0x00 or 0x08) or the SAR TLVs; resolve
 * data_coding; then commit, a whole message straight into the inbox and a segment into the
 * {@link FragmentStore}, which creates the message with the set's last part. Blocks the calling
 * jsmpp thread until the commit, so the response jsmpp writes afterwards means "stored".
 *
 * <p>The command_status of every refusal is decided here, and nothing is stored from a refused PDU:
 * <ul>
 *   <li>a user data header that cannot be trusted ({@link MalformedUdhException}: truncated, longer
 *       than the message, an element overrunning it, a concatenation element with a bad length,
 *       total or index): {@code ESME_RINVESMCLASS} (0x43). UDHI is an esm_class bit, and what it
 *       claims (the user data starts with a valid header) is false. It is permanent, so the peer
 *       does not retry a PDU that fails the same way every time; {@code ESME_RINVMSGLEN} would
 *       blame sm_length, which jsmpp already checked against the PDU, and {@code ESME_RSYSERR} is
 *       one of the statuses peers retry;</li>
 *   <li>SAR TLVs: one or two of the three missing, {@code ESME_RMISSINGOPTPARAM} (0xC3); a value out
 *       of range (total 0, a seqnum outside 1..total) or of the wrong length, {@code ESME_RINVOPTPARAMVAL} (0xC4);</li>
 *   <li>a data_coding that is not text here: {@code ESME_RINVDCS} (0x104);</li>
 *   <li>a number not served: {@code ESME_RINVDSTADR}; any other failure to commit (the database is
 *       down, a timeout, shutdown): {@code ESME_RX_T_APPN}, so the peer sends it again later.</li>
 * </ul>
 * A repeated segment is answered {@code ESME_ROK} with the reference of its first copy.
 */
public final class SmppInbound {
    /** SMPP 3.4 section 5.1.3, "Expected Optional Parameter missing"; jsmpp has no constant for it. */
    public static final int STAT_ESME_RMISSINGOPTPARAM = 0xC3;
    /** SMPP 3.4 section 5.1.3, "Invalid Optional Parameter Value"; jsmpp has no constant for it. */
    public static final int STAT_ESME_RINVOPTPARAMVAL = 0xC4;

    private static final Logger LOG = LoggerFactory.getLogger(SmppInbound.class);

    private final InboundService inbound;
    private final FragmentStore fragments;

    public SmppInbound(InboundService inbound, FragmentStore fragments) {
        this.inbound = inbound;
        this.fragments = fragments;
    }

    /**
     * Commits one short message, or one segment of a long one.
     *
     * @param source     the path it came by, {@code smpp:<account>} or {@code smpp-carrier:<carrier id>}:
     *                   segments of one set must come by the same path
     * @param to         the served number, normalised
     * @param from       the sender, normalised
     * @param coding     what data_coding means on this path
     * @param carrierRef what this PDU is called on the carrier side
     * @return the reference to answer with: {@code carrierRef}, or the first copy's for a repeated segment
     * @throws ProcessRequestException with the command_status to answer (see the class comment)
     */
    public String receive(MessageRequest pdu, String source, String to, String from, DataCodingReader coding, String carrierRef)
            throws ProcessRequestException {
        return accept(pdu, source, to, from, coding, carrierRef).carrierRef();
    }

    /**
     * What became of a PDU: the reference to answer with, the inbox message it completed ({@code
     * null} for a segment of a set still incomplete, or a repeated one), and whether it was a segment.
     */
    public record Received(String carrierRef, String messageId, boolean segment) {}

    /** As {@link #receive}, also telling which message the PDU completed. */
    public Received accept(MessageRequest pdu, String source, String to, String from, DataCodingReader coding, String carrierRef)
            throws ProcessRequestException {
        byte[] userData = userData(pdu);
        Optional<ConcatInfo> concat = Optional.empty();
        byte[] payload = userData;
        if (UdhParser.hasUdh(pdu.getEsmClass())) {
            UserData parsed;
            try {
                parsed = UdhParser.parse(userData);
            } catch (MalformedUdhException e) {
                throw new ProcessRequestException("malformed user data header: " + e.getMessage(), SMPPConstant.STAT_ESME_RINVESMCLASS);
            }
            concat = parsed.concat();
            payload = parsed.payload();
        }
        if (concat.isEmpty()) {
            concat = sar(pdu);
        }
        ReceivedCoding received;
        try {
            received = coding.resolve(pdu.getDataCoding());
        } catch (UnsupportedDataCodingException e) {
            throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RINVDCS);
        }
        if (concat.isEmpty()) {
            String messageId = await(inbound.receive(new InboundMessage(to, from, Channel.SMS,
                    MessageContent.text(received.decode(payload)), carrierRef,
                    new SmsDetails(1, SmsDetails.encodingName(received.encoding().name()), source)))).id();
            return new Received(carrierRef, messageId, false);
        }
        ConcatInfo c = concat.get();
        InboundFragment fragment = new InboundFragment(source, to, from, scheme(c.scheme()), c.reference(), c.total(), c.index(),
                received.dataCoding(), received.encoding().name(), payload, carrierRef);
        FragmentStore.Outcome outcome = await(fragments.accept(fragment));
        if (outcome instanceof FragmentStore.Duplicate) {
            LOG.debug("repeated segment {} of {} (reference {}) from {} acknowledged again", c.index(), c.total(), c.reference(), source);
        }
        String messageId = outcome instanceof FragmentStore.Completed done ? done.message().id() : null;
        return new Received(outcome.carrierRef(), messageId, true);
    }

    /** short_message, or message_payload when short_message is empty (SMPP allows one of them only). */
    private static byte[] userData(MessageRequest pdu) {
        byte[] shortMessage = pdu.getShortMessage();
        if (shortMessage != null && shortMessage.length > 0) {
            return shortMessage;
        }
        OptionalParameter p = pdu.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
        return p instanceof OptionalParameter.OctetString os ? os.getValue() : new byte[0];
    }

    private static Optional<ConcatInfo> sar(MessageRequest pdu) throws ProcessRequestException {
        OptionalParameter ref = pdu.getOptionalParameter(OptionalParameter.Tag.SAR_MSG_REF_NUM);
        OptionalParameter total = pdu.getOptionalParameter(OptionalParameter.Tag.SAR_TOTAL_SEGMENTS);
        OptionalParameter seqnum = pdu.getOptionalParameter(OptionalParameter.Tag.SAR_SEGMENT_SEQNUM);
        if (ref == null && total == null && seqnum == null) {
            return Optional.empty();
        }
        if (ref == null || total == null || seqnum == null) {
            throw new ProcessRequestException("sar_msg_ref_num, sar_total_segments and sar_segment_seqnum come together",
                    STAT_ESME_RMISSINGOPTPARAM);
        }
        try {
            SarValues sar = new SarValues(unsigned(ref, 2), unsigned(total, 1), unsigned(seqnum, 1));
            return Optional.of(new ConcatInfo(ConcatMode.SAR, sar.msgRefNum(), sar.totalSegments(), sar.segmentSeqnum()));
        } catch (IllegalArgumentException e) {
            throw new ProcessRequestException(e.getMessage(), STAT_ESME_RINVOPTPARAMVAL);
        }
    }

    // Read from the TLV as it goes on the wire (tag, length, value), whichever class jsmpp made of it.
    private static int unsigned(OptionalParameter p, int octets) {
        byte[] tlv = p.serialize();
        int length = (tlv[2] & 0xFF) << 8 | (tlv[3] & 0xFF);
        if (length != octets || tlv.length != 4 + length) {
            throw new IllegalArgumentException(String.format("TLV 0x%04X must be %d octets, got %d", p.tag, octets, length));
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | (tlv[4 + i] & 0xFF);
        }
        return value;
    }

    private static String scheme(ConcatMode mode) {
        return switch (mode) {
            case UDH8 -> "udh8";
            case UDH16 -> "udh16";
            case SAR -> "sar";
            case PAYLOAD -> throw new IllegalArgumentException("message_payload is not a segment scheme");
        };
    }

    private static <T> T await(Future<T> future) throws ProcessRequestException {
        return SmppCommits.await(future);
    }
}
