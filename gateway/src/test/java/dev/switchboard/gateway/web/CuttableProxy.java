package dev.switchboard.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of the gateway whose connection the test can cut: while cut, every open
 * connection is closed and new ones are closed as soon as they arrive, as when a laptop loses its
 * network; restored, it relays again. The page is loaded through it, so its REST calls and its
 * WebSocket both go through the cut.
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private final java.util.concurrent.atomic.AtomicInteger responsesToLose = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger responsesLost = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String losePrefix = null;

    /** One relayed connection: when its request matched, the gateway's answer is dropped instead of relayed. */
    private static final class Link {
        volatile boolean loseResponse;
    }

    CuttableProxy(URI gateway) throws IOException {
        this.target = new InetSocketAddress(gateway.getHost(), gateway.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "cuttable-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    void cut() {
        cut = true;
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
    }

    void restore() {
        cut = false;
    }

    /**
     * The next {@code count} requests whose first bytes start with {@code requestPrefix} (e.g.
     * {@code "POST /v1/messages "}) reach the gateway in full, but its answer is swallowed and the
     * connection closed as soon as the answer starts: the gateway accepted, the browser never hears it.
     */
    void loseResponses(String requestPrefix, int count) {
        losePrefix = requestPrefix;
        responsesToLose.set(count);
    }

    /** How many answers {@link #loseResponses} swallowed so far. */
    int responsesLost() {
        return responsesLost.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(upstream);
                Link link = new Link();
                pump(client, upstream, link, true);
                pump(upstream, client, link, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, Link link, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    String prefix = losePrefix;
                    if (request && prefix != null && n >= prefix.length()
                            && new String(buffer, 0, prefix.length(), java.nio.charset.StandardCharsets.ISO_8859_1).equals(prefix)
                            && responsesToLose.getAndUpdate(c -> Math.max(0, c - 1)) > 0) {
                        link.loseResponse = true;
                    }
                    if (!request && link.loseResponse) {
                        responsesLost.incrementAndGet();
                        closeQuietly(from);
                        closeQuietly(to);
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // closed by cut() or by either side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "cuttable-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
