package dev.switchboard.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately misbehaving {@code /v1/stream} peer, for fault injection in {@link SyncStreamTest}:
 * just enough of an RFC 6455 server on an ephemeral loopback port for a test to script each
 * connection frame by frame, including the faults a real gateway never produces on purpose but a
 * network, a proxy or a broken server can: gaps and duplicates in the seq, fragmented frames,
 * connections that go silent or drop without a close frame, refused handshakes.
 *
 * <p>It is not a stand-in for the gateway's normal behaviour, and nothing but fault-injection tests
 * should use it: tests of how the client works with the gateway run against the real one (see the
 * gateway module's {@code SwitchboardClientTest}, {@code StreamTest} and {@code cli} tests).
 */
public final class MisbehavingStreamPeer implements AutoCloseable {

    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final long WAIT_SECONDS = 10;

    private final ServerSocket listener;
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private volatile int rejectWithStatus;

    public MisbehavingStreamPeer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "misbehaving-peer-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Refuse the next handshakes with this HTTP status instead of upgrading. */
    public void rejectHandshakesWith(int status) {
        rejectWithStatus = status;
    }

    /** The next accepted connection (upgraded or rejected), waiting up to 10 s. */
    public Connection nextConnection() throws InterruptedException {
        Connection connection = accepted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (connection == null) {
            throw new AssertionError("the client did not connect");
        }
        return connection;
    }

    /** A connection that arrives within {@code millis}, or null: for asserting that none comes. */
    public Connection connectionWithin(long millis) throws InterruptedException {
        return accepted.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                accepted.add(new Connection(socket, rejectWithStatus));
            } catch (IOException | RuntimeException badHandshake) {
                System.err.println("misbehaving stream peer: handshake failed: " + badHandshake);
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    /** One client connection: its handshake request, frames to send, text frames received. */
    public static final class Connection {

        public final String path;
        public final Map<String, String> headers = new TreeMap<>();
        private final Socket socket;
        private final OutputStream out;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private volatile int closeCodeReceived = -1;
        private volatile boolean answerPings = true;

        Connection(Socket socket, int rejectStatus) throws IOException {
            this.socket = socket;
            InputStream in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            String requestLine = readLine(in);
            this.path = requestLine.split(" ")[1];
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            if (rejectStatus != 0) {
                out.write(("HTTP/1.1 " + rejectStatus + " Rejected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.close();
                return;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(headers.get("sec-websocket-key")) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread reader = new Thread(() -> readFrames(in), "misbehaving-peer-reader");
            reader.setDaemon(true);
            reader.start();
        }

        public synchronized void sendText(String text) throws IOException {
            writeFrame(true, 0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        /** The message split into fragments: a text frame, continuations, the last one with FIN. */
        public synchronized void sendFragmented(String text, int pieces) throws IOException {
            int step = (text.length() + pieces - 1) / pieces;
            for (int i = 0, start = 0; start < text.length(); i++, start += step) {
                String piece = text.substring(start, Math.min(text.length(), start + step));
                boolean last = start + step >= text.length();
                writeFrame(last, i == 0 ? 0x1 : 0x0, piece.getBytes(StandardCharsets.UTF_8));
            }
        }

        public synchronized void sendClose(int code, String reason) throws IOException {
            byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + reasonBytes.length];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
            writeFrame(true, 0x8, payload);
        }

        /** Plays a connection that died silently: no more pongs, nothing else either. */
        public void stopAnsweringPings() {
            answerPings = false;
        }

        /** Drops the TCP connection without a close frame, like a crashed server or a dead link. */
        public void drop() throws IOException {
            socket.close();
        }

        /** The next text message the client sent, waiting up to 10 s. */
        public String nextText() throws InterruptedException {
            String text = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("the client sent nothing");
            }
            return text;
        }

        /** The close code the client sent, waiting up to 10 s; -1 if the connection ended without one. */
        public int awaitClientClose() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            synchronized (this) {
                while (closeCodeReceived == -1 && !socket.isClosed() && System.nanoTime() < deadline) {
                    wait(100);
                }
            }
            return closeCodeReceived;
        }

        private void readFrames(InputStream raw) {
            DataInputStream in = new DataInputStream(raw);
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            try {
                while (true) {
                    int first = in.readUnsignedByte();
                    int second = in.readUnsignedByte();
                    long length = second & 0x7F;
                    if (length == 126) {
                        length = in.readUnsignedShort();
                    } else if (length == 127) {
                        length = in.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((second & 0x80) != 0) {
                        in.readFully(mask);
                    }
                    byte[] payload = new byte[(int) length];
                    in.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    int opcode = first & 0x0F;
                    if (opcode == 0x8) {
                        synchronized (this) {
                            closeCodeReceived = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                            notifyAll();
                        }
                        synchronized (this) {
                            writeFrame(true, 0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                        }
                        socket.close();
                        return;
                    } else if (opcode == 0x9 && answerPings) {
                        synchronized (this) {
                            writeFrame(true, 0xA, payload);
                        }
                    } else if (opcode == 0x1 || opcode == 0x0) {
                        message.write(payload);
                        if ((first & 0x80) != 0) {
                            received.add(message.toString(StandardCharsets.UTF_8));
                            message.reset();
                        }
                    }
                }
            } catch (IOException ended) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        private void writeFrame(boolean fin, int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >> shift));
                }
            }
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new IOException("connection closed during the handshake");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private static String accept(String key) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1")
                        .digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII));
                return Base64.getEncoder().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
    }
}
