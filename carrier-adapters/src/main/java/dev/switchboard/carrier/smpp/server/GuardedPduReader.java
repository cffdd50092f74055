package dev.switchboard.carrier.smpp.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.InvalidCommandLengthException;
import org.jsmpp.PDUSender;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Command;
import org.jsmpp.util.DefaultDecomposer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jsmpp's PDU reader for one server session, guarded against what jsmpp 3.0.2 does not survive:
 * <ul>
 *   <li>a command_length above {@link #MAX_COMMAND_LENGTH}: jsmpp would allocate it (an
 *       OutOfMemoryError kills its reader thread and leaves the session bound and mute). It is
 *       refused as jsmpp refuses a too-short one: {@link InvalidCommandLengthException}, on which
 *       jsmpp answers generic_nack ESME_RINVCMDLEN and closes the session;</li>
 *   <li>a submit_sm whose body ends inside its mandatory fields (generic_nack ESME_RINVCMDLEN) or
 *       whose sm_length disagrees with the octets after it (submit_sm_resp ESME_RINVMSGLEN): jsmpp's
 *       decomposer throws on its processing thread and nothing is ever answered. Such a PDU is
 *       answered here, with its sequence number, and never handed to jsmpp; the session goes on.</li>
 * </ul>
 * Called only from the session's single reader thread: {@link #readPDUHeader} reads a submit_sm
 * whole to check it, and {@link #readPDU} hands over the body it kept.
 */
final class GuardedPduReader extends DefaultPDUReader {
    /** The largest PDU taken: a submit_sm with a 64 KB message_payload and every other field full fits. */
    static final int MAX_COMMAND_LENGTH = 70_000;
    /** SMPP 3.4 5.2.21: short_message is 0 to 254 octets. */
    static final int MAX_SM_LENGTH = 254;
    private static final int HEADER = 16;
    private static final Logger LOG = LoggerFactory.getLogger(GuardedPduReader.class);

    private final PDUSender sender;
    private final OutputStream out;
    private Command keptHeader;
    private byte[] keptPdu;

    GuardedPduReader(PDUSender sender, OutputStream out) {
        this.sender = sender;
        this.out = out;
    }

    @Override
    public Command readPDUHeader(DataInputStream in) throws InvalidCommandLengthException, IOException {
        while (true) {
            Command header = super.readPDUHeader(in);
            if (header.getCommandLength() > MAX_COMMAND_LENGTH) {
                throw new InvalidCommandLengthException("Command length " + Integer.toUnsignedString(header.getCommandLength())
                        + " is above " + MAX_COMMAND_LENGTH);
            }
            if (header.getCommandId() != SMPPConstant.CID_SUBMIT_SM) {
                return header;
            }
            byte[] pdu = super.readPDU(in, header);
            Refusal refusal = checkSubmitSm(pdu);
            if (refusal == null) {
                keptHeader = header;
                keptPdu = pdu;
                return header;
            }
            LOG.info("malformed submit_sm (sequence {}, command_length {}): {}", header.getSequenceNumber(),
                    header.getCommandLength(), refusal.reason());
            if (refusal.genericNack()) {
                sender.sendGenericNack(out, refusal.status(), header.getSequenceNumber());
            } else {
                sender.sendHeader(out, SMPPConstant.CID_SUBMIT_SM_RESP, refusal.status(), header.getSequenceNumber());
            }
        }
    }

    @Override
    public byte[] readPDU(DataInputStream in, Command header) throws IOException {
        if (keptHeader == header) {
            byte[] pdu = keptPdu;
            keptHeader = null;
            keptPdu = null;
            return pdu;
        }
        return super.readPDU(in, header);
    }

    /** Why a submit_sm is refused, and how. */
    record Refusal(boolean genericNack, int status, String reason) {
        static Refusal truncated(String reason) {
            return new Refusal(true, SMPPConstant.STAT_ESME_RINVCMDLEN, reason);
        }

        static Refusal smLength(String reason) {
            return new Refusal(false, SMPPConstant.STAT_ESME_RINVMSGLEN, reason);
        }
    }

    /** Null if jsmpp can take this submit_sm (header included); otherwise why not. */
    static Refusal checkSubmitSm(byte[] pdu) {
        int at = HEADER;
        at = cString(pdu, at); // service_type
        if (at < 0) {
            return Refusal.truncated("body ends inside service_type");
        }
        at += 2; // source_addr_ton, source_addr_npi
        at = cString(pdu, at);
        if (at < 0) {
            return Refusal.truncated("body ends inside source_addr");
        }
        at += 2; // dest_addr_ton, dest_addr_npi
        at = cString(pdu, at);
        if (at < 0) {
            return Refusal.truncated("body ends inside destination_addr");
        }
        at += 3; // esm_class, protocol_id, priority_flag
        at = cString(pdu, at);
        if (at < 0) {
            return Refusal.truncated("body ends inside schedule_delivery_time");
        }
        at = cString(pdu, at);
        if (at < 0) {
            return Refusal.truncated("body ends inside validity_period");
        }
        at += 4; // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
        if (at >= pdu.length) {
            return Refusal.truncated("body ends before sm_length");
        }
        int smLength = pdu[at++] & 0xFF;
        int rest = pdu.length - at;
        if (smLength > rest) {
            return Refusal.smLength("sm_length " + smLength + " but " + rest + " octets follow");
        }
        if (smLength > MAX_SM_LENGTH) {
            return Refusal.smLength("sm_length " + smLength + " is above " + MAX_SM_LENGTH);
        }
        at += smLength;
        // What follows short_message must be whole TLVs: otherwise sm_length is wrong (or the TLVs are).
        while (at < pdu.length) {
            if (pdu.length - at < 4) {
                return Refusal.smLength("after short_message (sm_length " + smLength + ") " + (pdu.length - at)
                        + " octets are no TLV");
            }
            int length = ((pdu[at + 2] & 0xFF) << 8) | (pdu[at + 3] & 0xFF);
            at += 4;
            if (length > pdu.length - at) {
                return Refusal.smLength("after short_message (sm_length " + smLength + ") a TLV claims " + length
                        + " octets where " + (pdu.length - at) + " are left");
            }
            at += length;
        }
        try {
            new DefaultDecomposer().submitSm(pdu);
        } catch (PDUStringException e) {
            // jsmpp answers that one itself.
        } catch (RuntimeException e) {
            return Refusal.truncated("jsmpp cannot decode it: " + e);
        }
        return null;
    }

    /** The index after the C-Octet String's NUL at {@code from}, or -1 if the PDU ends before one. */
    private static int cString(byte[] pdu, int from) {
        for (int i = from; i < pdu.length; i++) {
            if (pdu[i] == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
