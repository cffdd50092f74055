package dev.switchboard.bench.initialsync;

import dev.switchboard.client.SwitchboardClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;

/**
 * Fills one number's history the way it fills in production: inbound SMS arrive as submit_sm from
 * an ESME bound to the gateway's SMPP server (the carrier side), replies are posted by the number's
 * primary over {@code POST /v1/messages} and leave through the same account as deliver_sm, which the
 * ESME accepts. Message {@code i} belongs to conversation {@code i % conversations}; every
 * {@code 100 / outboundPercent}-th message is a reply. Each text starts with {@code sync-<i> } so the
 * checks can tell every message apart.
 */
public final class HistorySeeder {
    /** Text every seeded message starts with, followed by its index and a space. */
    public static final String PREFIX = "sync-";
    private static final String FILLER = "Running late, the train is stuck outside the station again; order for me and I will"
            + " pay you back tonight. See you at eight?";

    /** What was seeded: the texts the gateway acknowledged (submit_sm_resp or 2xx), and how long it took. */
    public record Seeded(Set<String> acknowledgedTexts, long inbound, long outbound, long refused, double seconds,
                         long repliesDelivered, long repliesDeliveredTwice, long outboxLeft) {}

    private final String number;
    private final int messages;
    private final int conversations;
    private final int outboundPercent;
    private final int binds;
    private final int window;
    private final int posters;

    public HistorySeeder(String number, int messages, int conversations, int outboundPercent, int binds, int window, int posters) {
        if (outboundPercent < 0 || outboundPercent > 50) {
            throw new IllegalArgumentException("outboundPercent must be 0..50");
        }
        this.number = number;
        this.messages = messages;
        this.conversations = conversations;
        this.outboundPercent = outboundPercent;
        this.binds = binds;
        this.window = window;
        this.posters = posters;
    }

    /** The peer of conversation {@code c}: within the SMPP account's prefix, so replies route back through it. */
    public static String peer(int c) {
        return "+447700" + (100_000 + c);
    }

    public static String peerPrefix() {
        return "+447700";
    }

    /** The text of message {@code i}: its tag then a realistic length of SMS filler (single segment, GSM 03.38). */
    public static String text(long i) {
        return PREFIX + i + " " + FILLER.substring(0, (int) ((i * 37) % 100));
    }

    boolean outbound(long i) {
        return outboundPercent > 0 && i % (100 / outboundPercent) == (100 / outboundPercent) - 1;
    }

    /**
     * Submits every message and returns once each was acknowledged (or refused), every reply left
     * the gateway as a deliver_sm and the outbox is empty ({@code outboxRows} counts what is left in
     * it; the binds stay up until then, so replies being retried can still leave); prints progress
     * every few seconds.
     */
    public Seeded seed(String smppHost, int smppPort, String systemId, String password, SwitchboardClient primary,
                       Callable<Long> outboxRows) throws Exception {
        List<Long> inboundIds = new ArrayList<>();
        List<Long> outboundIds = new ArrayList<>();
        for (long i = 0; i < messages; i++) {
            (outbound(i) ? outboundIds : inboundIds).add(i);
        }
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicLong inbound = new AtomicLong();
        AtomicLong outbound = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Map<String, Integer> repliesSeen = new ConcurrentHashMap<>();
        CountDownLatch replies = new CountDownLatch(outboundIds.size());
        List<SMPPSession> sessions = new ArrayList<>();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        ExecutorService submitters = Executors.newFixedThreadPool(binds * window + posters);
        long start = System.nanoTime();
        try {
            for (int b = 0; b < binds; b++) {
                SMPPSession s = new SMPPSession();
                s.setTransactionTimer(60_000);
                s.setMessageReceiverListener(new AcceptReplies(repliesSeen, replies));
                s.connectAndBind(smppHost, smppPort, new BindParameter(BindType.BIND_TRX, systemId, password, "",
                        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
                sessions.add(s);
            }
            progress.scheduleAtFixedRate(() -> System.out.printf(Locale.ROOT, "  seeding: %d inbound + %d replies acknowledged of %d (%.0f s)%n",
                    inbound.get(), outbound.get(), messages, (System.nanoTime() - start) / 1e9), 5, 5, TimeUnit.SECONDS);
            AtomicInteger nextIn = new AtomicInteger();
            AtomicInteger nextOut = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(binds * window + posters);
            for (SMPPSession s : sessions) {
                for (int w = 0; w < window; w++) {
                    submitters.execute(() -> {
                        try {
                            for (int k; (k = nextIn.getAndIncrement()) < inboundIds.size(); ) {
                                long i = inboundIds.get(k);
                                if (submit(s, i)) {
                                    acked.add(text(i));
                                    inbound.incrementAndGet();
                                } else {
                                    refused.incrementAndGet();
                                }
                            }
                        } finally {
                            done.countDown();
                        }
                    });
                }
            }
            for (int p = 0; p < posters; p++) {
                submitters.execute(() -> {
                    try {
                        for (int k; (k = nextOut.getAndIncrement()) < outboundIds.size(); ) {
                            long i = outboundIds.get(k);
                            try {
                                primary.send(peer((int) (i % conversations)), text(i));
                                acked.add(text(i));
                                outbound.incrementAndGet();
                            } catch (RuntimeException e) {
                                refused.incrementAndGet();
                                replies.countDown();  // never accepted, so never delivered
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("seeding did not finish");
            }
            // Replies leave through the outbox worker after their POST committed; wait until the ESME got each
            // and the gateway recorded them as sent (a reply whose deliver_sm_resp came too late is retried).
            if (!replies.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(replies.getCount() + " replies never left the gateway as deliver_sm");
            }
            long outboxLeft = Poll.until(() -> outboxRows.call() == 0, Duration.ofSeconds(60)) ? 0 : outboxRows.call();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Seeded(Set.copyOf(acked), inbound.get(), outbound.get(), refused.get(), seconds, repliesSeen.size(),
                    repliesSeen.values().stream().mapToLong(n -> n - 1).sum(), outboxLeft);
        } finally {
            progress.shutdownNow();
            submitters.shutdownNow();
            for (SMPPSession s : sessions) {
                // Seen here: now and then an unbind_resp never comes; do not wait the submit timeout for it.
                s.setTransactionTimer(2_000);
                try {
                    s.unbindAndClose();
                } catch (RuntimeException e) {
                    s.close();
                }
            }
        }
    }

    private boolean submit(SMPPSession s, long i) {
        String from = peer((int) (i % conversations)).substring(1);
        try {
            s.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from, TypeOfNumber.INTERNATIONAL,
                    NumberingPlanIndicator.ISDN, number.substring(1), new ESMClass(), (byte) 0, (byte) 1, null, null,
                    new RegisteredDelivery(0), (byte) 0, new GeneralDataCoding(Alphabet.ALPHA_DEFAULT), (byte) 0,
                    text(i).getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The carrier side of replies: accepts every deliver_sm (each reply is one segment) and counts
     * it by its tag; the latch counts distinct replies, a second copy of one is a duplicate.
     */
    private static final class AcceptReplies implements MessageReceiverListener {
        private final Map<String, Integer> seen;
        private final CountDownLatch replies;

        AcceptReplies(Map<String, Integer> seen, CountDownLatch replies) {
            this.seen = seen;
            this.replies = replies;
        }

        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) {
            // GSM 03.38 unpacked: the tag's characters sit where ASCII has them.
            String text = new String(deliverSm.getShortMessage(), StandardCharsets.US_ASCII);
            String tag = text.contains(" ") ? text.substring(0, text.indexOf(' ')) : text;
            if (seen.merge(tag, 1, Integer::sum) == 1) {
                replies.countDown();
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm not expected", 0x00000003);
        }
    }
}
