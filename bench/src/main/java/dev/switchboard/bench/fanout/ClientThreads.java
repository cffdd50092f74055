package dev.switchboard.bench.fanout;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of this JVM that do client work (sealing and posting, reading the streams,
 * decrypting), each with its role. The gateway runs in the same JVM, so its CPU is the process's
 * CPU minus the CPU of these threads: they have to be known by id, not guessed afterwards.
 *
 * <p>Three ways in: threads made by {@link #factory} (the bench's own pools), threads that ran a
 * client callback ({@link #registerCurrent}: the client Vert.x event loops carrying the device
 * WebSockets, whose names are the same as the gateway's event loops), and the JDK HttpClient's
 * internal threads ({@code HttpClient-N-SelectorManager}), recognised by name because the gateway
 * does not use {@code java.net.http}.
 */
public final class ClientThreads {
    /** The role of a JDK HttpClient thread found by name. */
    public static final String HTTP_CLIENT = "http-client";

    private final Map<Long, String> roles = new ConcurrentHashMap<>();

    /** A factory of daemon threads named {@code fanout-<role>-N}, registered under {@code role}. */
    public ThreadFactory factory(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "fanout-" + role + "-" + n.incrementAndGet());
            t.setDaemon(true);
            roles.put(t.getId(), role);
            return t;
        };
    }

    /** Registers the calling thread under {@code role} (cheap when it is already registered). */
    public void registerCurrent(String role) {
        long id = Thread.currentThread().getId();
        if (!roles.containsKey(id)) {
            roles.putIfAbsent(id, role);
        }
    }

    /** The client role of a thread, or empty for a thread of the gateway (or of the JVM itself). */
    public Optional<String> roleOf(long id, String name) {
        String role = roles.get(id);
        if (role == null && name != null && name.startsWith("HttpClient-")) {
            role = HTTP_CLIENT;
        }
        return Optional.ofNullable(role);
    }
}
