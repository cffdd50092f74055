package dev.switchboard.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SentMessage;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The device client library against the real gateway: paging, idempotency keys, errors, and the
 * wait for a link approval. What the client decides without a server is tested in the client module.
 */
class SwitchboardClientTest {
    /** The client asks for pages of this many; the tests that page need more than one page of it. */
    private static final int CLIENT_PAGE_SIZE = 200;

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    // --- conversations and messages ----------------------------------------------------------

    @Test
    void allConversationsFollowsNextAcrossPages() throws Exception {
        Device device = gw.primary("+390655550001");
        Set<String> peers = new HashSet<>();
        for (int i = 0; i < CLIENT_PAGE_SIZE + 1; i++) {
            String peer = String.format("+1555%07d", i);
            device.client().send(peer, "hello " + i);
            peers.add(peer);
        }
        assertNotNull(device.client().conversations(CLIENT_PAGE_SIZE, null).get("next").textValue(),
                "the conversations do not fit in one of the client's pages");

        List<JsonNode> all = device.client().allConversations();

        assertEquals(CLIENT_PAGE_SIZE + 1, all.size());
        assertEquals(peers, new HashSet<>(all.stream().map(c -> c.get("peer").asText()).toList()), "every conversation once");
        assertEquals(all.size(), all.stream().map(c -> c.get("id").asText()).distinct().count());
    }

    @Test
    void allMessagesPagesBackwardsUntilNextIsNullNewestFirstEachOnce() throws Exception {
        Device device = gw.primary("+390655550002");
        Device peer = gw.primary("+390655550003");
        int count = 2 * CLIENT_PAGE_SIZE + 1;
        List<String> sentIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sentIds.add(device.client().send(peer.number(), "message " + i).id());
        }
        String conversationId = device.client().conversationWith(peer.number()).orElseThrow().get("id").asText();
        assertNotNull(device.client().messages(conversationId, null, CLIENT_PAGE_SIZE).get("next").textValue(),
                "the messages do not fit in one of the client's pages");

        List<JsonNode> all = device.client().allMessages(conversationId);

        List<String> newestFirst = new ArrayList<>(sentIds);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, all.stream().map(m -> m.get("id").asText()).toList());
        assertEquals("message " + (count - 1), all.get(0).get("text").asText());
        assertEquals("message 0", all.get(count - 1).get("text").asText());
    }

    @Test
    void conversationWithIsEmptyWhenThereIsNoConversationWithThatPeer() throws Exception {
        Device device = gw.primary("+390655550004");
        Device talkedTo = gw.primary("+390655550005");
        Device neverTalkedTo = gw.primary("+390655550006");
        SentMessage sent = device.client().send(talkedTo.number(), "hi");

        assertEquals(Optional.empty(), device.client().conversationWith(neverTalkedTo.number()));
        JsonNode found = device.client().conversationWith(talkedTo.number()).orElseThrow();
        assertEquals(sent.conversationId(), found.get("id").asText());
        assertEquals(talkedTo.number(), found.get("peer").asText());
    }

    // --- sending -----------------------------------------------------------------------------

    @Test
    void sendUsesAFreshIdempotencyKeyForEachCall() throws Exception {
        Device device = gw.primary("+390655550007");
        Device peer = gw.primary("+390655550008");

        SentMessage first = device.client().send(peer.number(), "same text twice");
        SentMessage second = device.client().send(peer.number(), "same text twice");

        assertNotEquals(first.id(), second.id());
        assertEquals(2, device.client().allMessages(first.conversationId()).size(), "two calls, two messages");
    }

    @Test
    void sendWithTheSameKeyTwiceCreatesOneMessage() throws Exception {
        Device device = gw.primary("+390655550009");
        Device peer = gw.primary("+390655550010");

        SentMessage first = device.client().send(peer.number(), "retried", "retry-me");
        SentMessage retried = device.client().send(
                new ObjectMapper().createObjectNode().put("to", peer.number()).put("text", "retried"), "retry-me");

        assertEquals(first, retried, "the retry gets the first call's answer");
        assertEquals(1, device.client().allMessages(first.conversationId()).size(), "two calls, one message");
        assertEquals(1, peer.client().allMessages(peer.client().conversationWith(device.number()).orElseThrow()
                .get("id").asText()).size(), "the peer got it once");
    }

    // --- errors ------------------------------------------------------------------------------

    @Test
    void errorBodyBecomesAnApiExceptionWithStatusCodeAndMessage() throws Exception {
        Device device = gw.primary("+390655550011");
        Device peer = gw.primary("+390655550012");
        device.client().send(peer.number(), "first body", "reused-key");
        HttpResult raw = gw.request("POST", "/v1/messages", device.token(),
                "{\"to\":\"" + peer.number() + "\",\"text\":\"another body\"}", Map.of("Idempotency-Key", "reused-key"));

        SwitchboardApiException e = assertThrows(SwitchboardApiException.class,
                () -> device.client().send(peer.number(), "another body", "reused-key"));

        assertEquals(422, e.status());
        assertEquals("idempotency_key_reused", e.code());
        assertEquals(raw.json().getString("message"), e.getMessage(), "the gateway's own message");
    }

    @Test
    void unreachableGatewayIsAnUncheckedIoException() throws Exception {
        Device device = gw.primary("+390655550013");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SwitchboardClient nowhere = new SwitchboardClient(URI.create("http://127.0.0.1:" + closedPort))
                .withCredentials(device.credentials());

        UncheckedIOException e = assertThrows(UncheckedIOException.class, nowhere::devices);

        assertTrue(e.getMessage().contains("cannot reach the gateway"), e.getMessage());
    }

    @Test
    void withCredentialsLeavesTheOriginalClientAnonymous() throws Exception {
        Device device = gw.primary("+390655550014");
        SwitchboardClient anonymous = gw.anonymous();

        SwitchboardClient authenticated = anonymous.withCredentials(device.credentials());

        assertEquals(1, authenticated.devices().size());
        SwitchboardApiException e = assertThrows(SwitchboardApiException.class, anonymous::devices);
        assertEquals(401, e.status());
    }

    // --- linking -----------------------------------------------------------------------------

    @Test
    void awaitApprovalFailsWithLinkExpiredWhenTheLinkExpiresWhileWaiting() throws Exception {
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("too late", DeviceKeys.generate());
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> fresh.awaitApproval(request, Duration.ofMinutes(5)));

        gw.clock.advance(Duration.ofMinutes(2).plusSeconds(1));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
        SwitchboardApiException e = assertInstanceOf(SwitchboardApiException.class, failed.getCause());
        assertEquals(409, e.status());
        assertEquals("link_expired", e.code());
    }
}
