package dev.switchboard.gateway.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Devices come and go while A and B keep talking: a companion rotates its encryption key, A links a
 * tablet, B unlinks its laptop. Every sender keeps the keys it fetched (as a real client does) and
 * finds out from the gateway's 410 {@code stale_devices} and 409 {@code device_mismatch}, fetches
 * again and retries, with nobody doing anything. The tablet can read exactly what was sent after it
 * was linked; the unlinked laptop is sealed nothing after it left.
 */
class E2eeDeviceChurnTest {
    private static final String A = "+390618180001";
    private static final String B = "+390618180002";
    private static final int PER_PHASE = 8;

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private final List<String> refusals = new ArrayList<>();
    private final List<String> sentTexts = new ArrayList<>();

    private void round(List<E2eeParty> senders, String phase) {
        for (int i = 0; i < PER_PHASE; i++) {
            E2eeParty from = senders.get(i % senders.size());
            String text = phase + " #" + i + " from " + from.name;
            E2eeSender.Sent sent = from.sender.send(from.number().equals(A) ? B : A, text);
            assertTrue(sent.encrypted(), text + " went end to end");
            refusals.addAll(sent.refusals());
            sentTexts.add(text);
        }
    }

    @Test
    void sendersRecoverFromKeyRotationLinkAndUnlinkAndEachDeviceGetsExactlyItsMessages() throws Exception {
        Device aPhoneDevice = gw.primary(A);
        Device aLaptopDevice = gw.link(aPhoneDevice, "laptop");
        Device bPhoneDevice = gw.primary(B);
        bPhoneDevice.client().publishDeviceList(bPhoneDevice.keys(), ApprovedDevices.none());
        Device bLaptopDevice = gw.link(bPhoneDevice, "laptop");
        E2eeParty aPhone = new E2eeParty("aPhone", aPhoneDevice);
        E2eeParty aLaptop = new E2eeParty("aLaptop", aLaptopDevice);
        E2eeParty bPhone = new E2eeParty("bPhone", bPhoneDevice);
        E2eeParty bLaptop = new E2eeParty("bLaptop", bLaptopDevice);

        round(List.of(aPhone, aLaptop, bPhone, bLaptop), "before");
        assertEquals(List.of(), refusals, "nothing changed yet: no sender had to retry");

        aLaptop.rotateEncryptionKey("2");
        round(List.of(aPhone, aLaptop, bPhone, bLaptop), "after the rotation");
        assertTrue(refusals.contains("stale_devices"), "a sender holding the old key was told so and recovered: " + refusals);

        Device aTabletDevice = gw.link(aPhoneDevice, "tablet");
        E2eeParty aTablet = new E2eeParty("aTablet", aTabletDevice);
        aTablet.directory.keys(A);
        aTablet.directory.keys(B);
        int sentBeforeLink = sentTexts.size();
        round(List.of(aPhone, aLaptop, aTablet, bPhone, bLaptop), "after the link");
        assertTrue(refusals.contains("device_mismatch"), "a sender that did not know the tablet recovered: " + refusals);

        bPhoneDevice.client().unlink(bLaptopDevice.id());
        int sentBeforeUnlink = sentTexts.size();
        int mismatchesBefore = (int) refusals.stream().filter("device_mismatch"::equals).count();
        round(List.of(aPhone, aLaptop, aTablet, bPhone), "after the unlink");
        assertTrue(refusals.stream().filter("device_mismatch"::equals).count() > mismatchesBefore,
                "a sender that still had the laptop recovered: " + refusals);

        // The tablet: no key for what came before its link, every message since.
        List<DecryptedMessage> onTablet = read(aTablet, B);
        Set<String> readable = new TreeSet<>();
        for (DecryptedMessage message : onTablet) {
            if (message.readable()) {
                readable.add(message.text());
            } else {
                assertTrue(message.error().contains("holds no key"), message.error());
                assertTrue(message.message().path("encrypted").path("key").isNull());
            }
        }
        assertEquals(new TreeSet<>(sentTexts.subList(sentBeforeLink, sentTexts.size())), readable);
        assertEquals(sentTexts.size() - sentBeforeLink, wrappedKeysFor(aTablet.id()));

        // The unlinked laptop: sealed everything until it left, nothing after, and its token is gone.
        assertEquals(sentBeforeUnlink, wrappedKeysFor(bLaptop.id()));
        SwitchboardApiException gone = assertThrows(SwitchboardApiException.class, () -> bLaptopDevice.client().allConversations());
        assertEquals(401, gone.status());

        // The devices that stayed read everything, the rotated laptop included (with its old and new key).
        for (E2eeParty party : List.of(aPhone, aLaptop, bPhone)) {
            Set<String> texts = new TreeSet<>();
            for (DecryptedMessage message : read(party, party.number().equals(A) ? B : A)) {
                assertEquals(DecryptedMessage.Source.DECRYPTED, message.source(), party + ": " + message.error());
                texts.add(message.text());
            }
            assertEquals(new TreeSet<>(sentTexts), texts, party + " read every message");
        }
    }

    private static List<DecryptedMessage> read(E2eeParty party, String peer) {
        JsonNode conversation = party.device.client().conversationWith(peer).orElseThrow();
        return party.decryptor.decryptAll(party.device.client().allMessages(conversation.path("id").asText()));
    }

    private static int wrappedKeysFor(String deviceId) throws Exception {
        try (Connection db = gw.jdbc();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM e2ee_keys WHERE device_id = ?")) {
            query.setString(1, deviceId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
