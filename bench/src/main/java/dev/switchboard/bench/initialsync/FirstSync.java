package dev.switchboard.bench.initialsync;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A newly linked device's first sync, in the order the web inbox does it ({@code ui/inbox.js}
 * {@code initialSync}): find the head of the sync log ({@code GET /v1/sync?limit=1}, exponential then
 * binary search), then the first page of conversations — each with its last message, unread count
 * and channel, everything the list needs — which is the first usable screen; then the remaining
 * conversation pages, then each conversation's messages newest first, page after page, until none
 * is left (the web inbox loads one page per conversation up front and the rest on scroll; here every
 * page is loaded, as {@code SwitchboardClient.allMessages} does). One request at a time, as both
 * clients do, unless {@code parallel} says otherwise for the histories.
 */
public final class FirstSync {

    /** What the device ended with, and what it cost. */
    public record Outcome(long firstScreenNanos, long firstScreenBytes, long firstScreenRequests, int headProbes, long head,
                   int firstScreenConversations, long allHistoryNanos, long bytes, long requests,
                   Map<String, Integer> conversationCounts, Map<String, Integer> messageCounts, Map<String, String> textById,
                   Histogram headMicros, Histogram conversationPageMicros, Histogram messagePageMicros) {}

    private final MeteredApi api;
    private final int conversationPage;
    private final int messagePage;
    private final int parallel;
    private final Histogram headMicros = new Histogram(3);
    private final Histogram conversationPageMicros = new Histogram(3);
    private final Histogram messagePageMicros = new ConcurrentHistogram(3);
    private int headProbes;

    /** {@code parallel}: how many conversations' histories load at once (1, as the clients do it). */
    public FirstSync(URI server, String token, int conversationPage, int messagePage, int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        this.api = new MeteredApi(server, token);
        this.conversationPage = conversationPage;
        this.messagePage = messagePage;
        this.parallel = parallel;
    }

    public Outcome run() throws IOException, InterruptedException {
        Map<String, Integer> conversationCounts = new HashMap<>();
        List<String> conversationOrder = new ArrayList<>();
        long t0 = System.nanoTime();
        long head = head();
        JsonNode page = api.get("/v1/conversations?limit=" + conversationPage, conversationPageMicros);
        int shown = listConversations(page, conversationCounts, conversationOrder);
        long firstScreen = System.nanoTime() - t0;
        long firstScreenBytes = api.bodyBytes();
        long firstScreenRequests = api.requests();

        for (String cursor = text(page, "next"); cursor != null; cursor = text(page, "next")) {
            page = api.get("/v1/conversations?limit=" + conversationPage + "&cursor=" + MeteredApi.encode(cursor), conversationPageMicros);
            listConversations(page, conversationCounts, conversationOrder);
        }
        Map<String, Integer> messageCounts = new ConcurrentHashMap<>();
        Map<String, String> textById = new ConcurrentHashMap<>();
        if (parallel == 1) {
            for (String conversation : conversationOrder) {
                loadHistory(conversation, messageCounts, textById);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            try {
                List<Future<?>> loads = new ArrayList<>();
                for (String conversation : conversationOrder) {
                    loads.add(pool.submit(() -> {
                        loadHistory(conversation, messageCounts, textById);
                        return null;
                    }));
                }
                for (Future<?> load : loads) {
                    load.get();
                }
            } catch (ExecutionException e) {
                throw new IOException("loading a conversation's history failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        long allHistory = System.nanoTime() - t0;
        return new Outcome(firstScreen, firstScreenBytes, firstScreenRequests, headProbes, head, shown, allHistory,
                api.bodyBytes(), api.requests(), conversationCounts, messageCounts, textById, headMicros,
                conversationPageMicros, messagePageMicros);
    }

    /** Every message of one conversation, newest first, page after page. */
    private void loadHistory(String conversation, Map<String, Integer> messageCounts, Map<String, String> textById)
            throws IOException, InterruptedException {
        String base = "/v1/conversations/" + MeteredApi.encode(conversation) + "/messages?limit=" + messagePage;
        String before = null;
        do {
            JsonNode messages = api.get(before == null ? base : base + "&before=" + MeteredApi.encode(before), messagePageMicros);
            for (JsonNode m : messages.path("messages")) {
                String id = m.path("id").asText();
                messageCounts.merge(id, 1, Integer::sum);
                textById.put(id, m.path("text").asText(""));
            }
            before = text(messages, "next");
        } while (before != null);
    }

    /** The smallest {@code since} with no events after it, probed like the web inbox's {@code head()}. */
    private long head() throws IOException, InterruptedException {
        if (empty(0)) {
            return 0;
        }
        long lo = 0;
        long step = 1;
        long hi = step;
        while (!empty(hi)) {
            lo = hi;
            step *= 2;
            hi = step;
        }
        while (hi - lo > 1) {
            long mid = (lo + hi) / 2;
            if (empty(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private boolean empty(long since) throws IOException, InterruptedException {
        headProbes++;
        return api.get("/v1/sync?since=" + since + "&limit=1", headMicros).path("events").isEmpty();
    }

    private static int listConversations(JsonNode page, Map<String, Integer> counts, List<String> order) {
        int n = 0;
        for (JsonNode c : page.path("conversations")) {
            String id = c.path("id").asText();
            if (counts.merge(id, 1, Integer::sum) == 1) {
                order.add(id);
            }
            n++;
        }
        return n;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
