package dev.switchboard.gateway.e2ee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.Attachment;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.HistoryBundles;
import dev.switchboard.client.HistoryPointer;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.LinkedDevice;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A new companion gets the end-to-end history from its primary: the primary exports what it can
 * read as an encrypted bundle, uploads it as opaque media and seals the pointer (media id and key)
 * into the provisioning message; the companion imports it and shows the earlier messages, which it
 * holds no key for. A companion linked without a bundle starts from its link.
 */
class E2eeHistoryTest {
    private static final String A = "+390620200001";
    private static final String B = "+390620200002";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void aCompanionLinkedWithTheHistoryBundleShowsTheEarlierMessages() throws Exception {
        Device aPhoneDevice = gw.primary(A);
        aPhoneDevice.client().publishDeviceList(aPhoneDevice.keys(), ApprovedDevices.none());
        Device bPhoneDevice = gw.primary(B);
        bPhoneDevice.client().publishDeviceList(bPhoneDevice.keys(), ApprovedDevices.none());
        E2eeParty aPhone = new E2eeParty("aPhone", aPhoneDevice);
        E2eeParty bPhone = new E2eeParty("bPhone", bPhoneDevice);

        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            E2eeParty from = i % 2 == 0 ? aPhone : bPhone;
            String text = "earlier history item " + i + " hx" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "xh";
            assertTrue(from.sender.send(from == aPhone ? B : A, text).encrypted());
            earlier.add(text);
        }
        Attachment photo = new Attachment("a photo from before".getBytes(StandardCharsets.UTF_8), "image/png", "before.png");
        assertTrue(bPhone.sender.send(A, "with a photo", List.of(photo)).encrypted());
        earlier.add("with a photo");

        HistoryPointer pointer = HistoryBundles.export(aPhoneDevice.client(), aPhone.decryptor);
        E2eeParty laptop = linkWith(aPhoneDevice, "laptop", pointer);
        E2eeParty tablet = linkWith(aPhoneDevice, "tablet", null);
        bPhone.directory.refresh(A);
        String later = "after the links";
        assertTrue(bPhone.sender.send(A, later).encrypted());

        // The laptop: the earlier messages from the bundle, the later one decrypted with its own key.
        List<DecryptedMessage> onLaptop = read(laptop);
        assertEquals(earlier.size() + 1, onLaptop.size());
        List<String> fromHistory = new ArrayList<>();
        for (DecryptedMessage message : onLaptop) {
            if (message.text().equals(later)) {
                assertEquals(DecryptedMessage.Source.DECRYPTED, message.source());
            } else {
                assertEquals(DecryptedMessage.Source.HISTORY, message.source(), message.error());
                fromHistory.add(message.text());
            }
            if (message.text().equals("with a photo")) {
                JsonNode part = message.attachments().get(0);
                assertEquals("before.png", part.path("fileName").asText());
                assertArrayEquals(photo.bytes(), MessageDecryptor.attachment(laptop.device.client(), part),
                        "the attachment opens with the key kept in the history");
            }
        }
        assertEquals(earlier.stream().sorted().toList(), fromHistory.stream().sorted().toList());

        // The tablet, linked without a bundle: only what came after its link.
        for (DecryptedMessage message : read(tablet)) {
            if (message.readable()) {
                assertEquals(later, message.text());
            } else {
                assertTrue(message.error().contains("holds no key"), message.error());
            }
        }
        assertEquals(1, read(tablet).stream().filter(DecryptedMessage::readable).count());

        // The bundle on the gateway is opaque, and only its key opens it.
        try (Connection db = gw.jdbc()) {
            assertEquals(List.of(), PlaintextScan.find(db, earlier.subList(0, 10)));
        }
        HistoryPointer wrongKey = new HistoryPointer(pointer.mediaId(), new byte[32]);
        assertThrows(CryptoException.class, () -> HistoryBundles.importInto(tablet.device.client(), wrongKey, tablet.history));
        assertFalse(tablet.history.size() > 0, "nothing was imported from a bundle that did not open");
    }

    /** Links a companion as a person does, the primary handing over {@code history} (or none). */
    private static E2eeParty linkWith(Device primary, String name, HistoryPointer history) {
        DeviceKeys keys = DeviceKeys.generate();
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest(name, keys);
        primary.client().approveLink(request.qr(), primary.keys(), ApprovedDevices.none(), history);
        LinkedDevice linked = fresh.awaitLink(request, Duration.ofSeconds(10));
        DeviceCredentials credentials = linked.credentials();
        E2eeParty party = new E2eeParty(name, new Device(keys, credentials, fresh.withCredentials(credentials)));
        linked.provisioning().trust(party.trust);
        if (history == null) {
            assertEquals(null, linked.provisioning().history());
        } else {
            assertEquals(history, linked.provisioning().history(), "the pointer arrived sealed in the provisioning");
            int imported = HistoryBundles.importInto(party.device.client(), linked.provisioning().history(), party.history);
            assertEquals(11, imported);
        }
        return party;
    }

    private static List<DecryptedMessage> read(E2eeParty party) {
        JsonNode conversation = party.device.client().conversationWith(B).orElseThrow();
        return party.decryptor.decryptAll(party.device.client().allMessages(conversation.path("id").asText()));
    }
}
