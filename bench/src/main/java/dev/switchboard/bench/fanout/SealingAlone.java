package dev.switchboard.bench.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.E2eeContent;
import dev.switchboard.client.VerifiedDevice;
import dev.switchboard.client.VerifiedKeys;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.crypto.MessageSealer;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.crypto.WrappedKey;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.interfaces.EdECPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: the sealing a sender does for one message, with no server. For each message, what
 * {@code E2eeSender} does between having both numbers' verified keys and posting: encode the
 * content ({@link E2eeContent}), take the identity private key out of the key object, build the
 * header, {@link MessageSealer#seal} to every device of both numbers (one HPKE wrap per device, one
 * AES-GCM encryption of the content, one Ed25519 signature), and serialize the request body
 * (base64url, JSON). Measured on {@code threads} threads for a fixed time: messages per second, and
 * CPU per message from the sealing threads' own CPU time.
 */
public final class SealingAlone {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** One sender's view: who it is, both numbers' keys as its directory verified them. */
    public record Sender(String number, String deviceId, DeviceKeys keys, VerifiedKeys own, VerifiedKeys peer) {}

    /** What a run sealed. */
    public record Run(int threads, long messages, double seconds, long cpuNanos, int targetsPerMessage) {
        public double messagesPerSecond() {
            return seconds <= 0 ? 0 : messages / seconds;
        }

        public double cpuMicrosPerMessage() {
            return messages == 0 ? 0 : cpuNanos / 1e3 / messages;
        }

        public JsonObject json() {
            return new JsonObject().put("threads", threads).put("messages", messages).put("seconds", seconds)
                    .put("messagesPerSecond", round(messagesPerSecond()))
                    .put("cpuMicrosPerMessage", round(cpuMicrosPerMessage()))
                    .put("cpuMicrosPerWrappedKey", round(cpuMicrosPerMessage() / targetsPerMessage))
                    .put("targetsPerMessage", targetsPerMessage);
        }
    }

    private final MessageSealer sealer = new MessageSealer();
    private final List<Sender> senders;
    private final String text;

    /** {@code text}: a message text of the length the scenario sends. */
    public SealingAlone(List<Sender> senders, String text) {
        this.senders = List.copyOf(senders);
        this.text = text;
    }

    /** Seals on {@code threads} threads (thread i as sender i modulo the senders) for {@code seconds}. */
    public Run run(int threads, double seconds, ClientThreads registry) throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads, registry.factory("seal-alone"));
        AtomicLong messages = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        AtomicLong targets = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        long[] window = new long[2];
        for (int t = 0; t < threads; t++) {
            Sender sender = senders.get(t % senders.size());
            pool.execute(() -> {
                try {
                    ready.countDown();
                    go.await();
                    long deadline = window[0] + (long) (seconds * 1e9);
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        targets.set(seal(sender));
                        n++;
                    }
                    cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                    messages.addAndGet(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        ready.await();
        window[0] = System.nanoTime();
        go.countDown();
        boolean finished = done.await((long) seconds + 60, TimeUnit.SECONDS);
        window[1] = System.nanoTime();
        pool.shutdownNow();
        if (!finished) {
            throw new IllegalStateException("the sealing baseline did not finish");
        }
        return new Run(threads, messages.get(), (window[1] - window[0]) / 1e9, cpu.get(), (int) targets.get());
    }

    /** One message sealed and its body serialized, as E2eeSender would post it; returns the number of targets. */
    private int seal(Sender s) {
        Map<String, Recipient> targets = new LinkedHashMap<>();
        addTargets(targets, s.peer());
        addTargets(targets, s.own());
        byte[] plaintext = new E2eeContent(text, List.of()).encode();
        MessageHeader header = MessageHeader.of("e2e_" + UUID.randomUUID(), s.number(), s.deviceId(), s.peer().number(),
                System.currentTimeMillis(), s.own().listVersion(), s.peer().listVersion());
        byte[] identityPrivate = ((EdECPrivateKey) s.keys().identity().getPrivate()).getBytes().orElseThrow();
        SealedMessage sealed = sealer.seal(header, identityPrivate, new ArrayList<>(targets.values()), plaintext);
        Arrays.fill(identityPrivate, (byte) 0);

        ObjectNode e2ee = JSON.createObjectNode()
                .put("header", B64.encodeToString(sealed.header()))
                .put("ciphertext", B64.encodeToString(sealed.ciphertext()))
                .put("keyCommitment", B64.encodeToString(sealed.keyCommitment()))
                .put("signature", B64.encodeToString(sealed.signature()));
        ArrayNode wrapped = e2ee.putArray("keys");
        for (WrappedKey key : sealed.keys()) {
            wrapped.addObject().put("number", key.number()).put("deviceId", key.deviceId())
                    .put("encryptionKeyId", key.encryptionKeyId()).put("wrappedKey", B64.encodeToString(key.wrapped()));
        }
        ObjectNode body = JSON.createObjectNode().put("to", s.peer().number());
        body.set("e2ee", e2ee);
        try {
            JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return sealed.keys().size();
    }

    private static void addTargets(Map<String, Recipient> targets, VerifiedKeys keys) {
        for (VerifiedDevice d : keys.devices()) {
            targets.putIfAbsent(keys.number() + "\u0000" + d.deviceId(),
                    new Recipient(keys.number(), d.deviceId(), d.encryptionKeyId(), d.encryptionKey()));
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
