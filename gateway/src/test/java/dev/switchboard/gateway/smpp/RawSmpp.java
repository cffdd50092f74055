package dev.switchboard.gateway.smpp;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * SMPP over a plain socket, PDUs built by hand, for input no SMPP library would send: wrong
 * command_length, sm_length that disagrees with short_message, TLVs nobody defined. Reads whatever
 * comes back as it is on the wire.
 */
final class RawSmpp implements AutoCloseable {
    static final int GENERIC_NACK = 0x80000000;
    static final int BIND_TRANSCEIVER = 0x00000009;
    static final int BIND_TRANSCEIVER_RESP = 0x80000009;
    static final int SUBMIT_SM = 0x00000004;
    static final int SUBMIT_SM_RESP = 0x80000004;
    static final int UNBIND = 0x00000006;
    static final int UNBIND_RESP = 0x80000006;
    static final int ENQUIRE_LINK = 0x00000015;
    static final int ENQUIRE_LINK_RESP = 0x80000015;

    /** One PDU as read: the header, and the body after it. */
    record Pdu(int length, int commandId, int status, int sequence, byte[] body) {
        @Override
        public String toString() {
            return String.format("PDU[length=%d, id=0x%08X, status=0x%08X, seq=%d]", length, commandId, status, sequence);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int sequence = 1;

    RawSmpp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        try {
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    int nextSequence() {
        return sequence++;
    }

    /** bind_transceiver, waiting for its response. */
    Pdu bind(String systemId, String password) throws IOException {
        Body body = new Body().cString(systemId).cString(password).cString("").octet(0x34).octet(0).octet(0).cString("");
        int seq = nextSequence();
        send(BIND_TRANSCEIVER, seq, body.bytes());
        return read();
    }

    /** A PDU with its header's command_length right. */
    void send(int commandId, int seq, byte[] body) throws IOException {
        sendWithLength(16 + body.length, commandId, seq, body);
    }

    /** A header claiming {@code commandLength}, then {@code body} whatever its length. */
    void sendWithLength(int commandLength, int commandId, int seq, byte[] body) throws IOException {
        out.write(ByteBuffer.allocate(16 + body.length).putInt(commandLength).putInt(commandId).putInt(0).putInt(seq).put(body).array());
        out.flush();
    }

    /** Raw bytes, nothing added. */
    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next PDU; {@link EOFException} if the peer closed the connection, {@link SocketTimeoutException} after 10 s of silence. */
    Pdu read() throws IOException {
        int length = in.readInt();
        int commandId = in.readInt();
        int status = in.readInt();
        int seq = in.readInt();
        if (length < 16 || length > 64 * 1024) {
            throw new IOException("implausible command_length from the server: " + length);
        }
        byte[] body = new byte[length - 16];
        in.readFully(body);
        return new Pdu(length, commandId, status, seq, body);
    }

    /** Whether the server closed the connection: reads until EOF, answering nothing, for at most the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                int length = in.readInt();
                in.skipNBytes(Math.max(0, length - 4));
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // Connection reset: closed too.
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A submit_sm body: addresses TON 1 / NPI 1, the rest as given. */
    static Body submitSm(String from, String to, int dataCoding, byte[] shortMessage) {
        return submitSm(from, to, dataCoding, shortMessage.length, shortMessage);
    }

    /** A submit_sm body whose sm_length is {@code smLength} whatever the short_message. */
    static Body submitSm(String from, String to, int dataCoding, int smLength, byte[] shortMessage) {
        return new Body().cString("").octet(1).octet(1).cString(from).octet(1).octet(1).cString(to)
                .octet(0) // esm_class
                .octet(0) // protocol_id
                .octet(0) // priority_flag
                .cString("").cString("") // schedule_delivery_time, validity_period
                .octet(0) // registered_delivery
                .octet(0) // replace_if_present_flag
                .octet(dataCoding)
                .octet(0) // sm_default_msg_id
                .octet(smLength)
                .raw(shortMessage);
    }

    /** A PDU body built field by field. */
    static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Body cString(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            bytes.write(0);
            return this;
        }

        Body octet(int b) {
            bytes.write(b);
            return this;
        }

        Body raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        Body tlv(int tag, byte[] value) {
            bytes.write(tag >>> 8);
            bytes.write(tag);
            bytes.write(value.length >>> 8);
            bytes.write(value.length);
            bytes.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
