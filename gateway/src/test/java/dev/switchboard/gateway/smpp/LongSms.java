package dev.switchboard.gateway.smpp;

import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncPage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** What the concatenation tests of both SMPP roles share: user data headers, texts, and what a device can see. */
final class LongSms {
    /**
     * About 1,000 characters of Italian with every accented vowel, the euro sign and emoji (a flag,
     * a skin tone, plain ones): UCS-2, with surrogate pairs near many segment boundaries.
     */
    static final String ITALIAN_AND_EMOJI;

    static {
        StringBuilder b = new StringBuilder();
        String[] sentences = {
            "Caro Niccolò, è già mezzogiorno e il caffè costa 1,20 € 😊. ",
            "Perché non vieni più tardi? Là c'è la città più bella 🇮🇹 del mondo. ",
            "Ho visto Gesù in un quadro, così sembrò ",
            "un sogno 👍🏽 e poi andò via; però tornerà, sì, lunedì 🍕🍷. ",
        };
        for (int i = 0; b.length() < 1_000; i++) {
            b.append(sentences[i % sentences.length]).append(i).append(' ');
        }
        ITALIAN_AND_EMOJI = b.toString();
    }

    private LongSms() {}

    /** A user data header with one concatenation element, 8-bit reference. */
    static byte[] udh8(int reference, int total, int index) {
        return new byte[] {5, 0x00, 3, (byte) reference, (byte) total, (byte) index};
    }

    /** A user data header with one concatenation element, 16-bit reference. */
    static byte[] udh16(int reference, int total, int index) {
        return new byte[] {6, 0x08, 4, (byte) (reference >>> 8), (byte) reference, (byte) total, (byte) index};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** User data headers no receiver may trust, each with what is wrong with it. */
    static final List<byte[]> MALFORMED_HEADERS = List.of(
            new byte[] {5, 0x00, 3, 1},                       // the header claims 5 octets, 3 follow
            new byte[] {5, 0x00, 3, 1, 2, 0, 'x'},            // segment index 0
            new byte[] {5, 0x00, 3, 1, 0, 1, 'x'},            // a total of 0 segments
            new byte[] {5, 0x00, 3, 1, 3, 4, 'x'},            // segment 4 of 3
            new byte[] {4, 0x00, 2, 1, 2, 'x'},               // an 8-bit concatenation element of 2 octets
            new byte[] {3, 0x00, 5, 1, 'x', 'y', 'z'},        // an element longer than the header
            new byte[0]);                                     // UDHI set on an empty message

    /** Every message.created in the device's sync log whose sender is {@code from}. */
    static List<SyncEvent> created(Device device, String from) {
        List<SyncEvent> found = new ArrayList<>();
        long since = 0;
        SyncPage page;
        do {
            page = device.client().sync(since, 1000);
            page.events().stream()
                    .filter(e -> e.type().equals("message.created") && e.data().get("from").asText().equals(from))
                    .forEach(found::add);
            since = page.next();
        } while (page.hasMore());
        return found;
    }

    /** Segments kept for reassembly from this sender, read straight from the gateway's database. */
    static long keptSegments(TestGateway gw, String from) throws Exception {
        try (Connection c = gw.jdbc(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM sms_fragments WHERE sender = ?")) {
            s.setString(1, from);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
