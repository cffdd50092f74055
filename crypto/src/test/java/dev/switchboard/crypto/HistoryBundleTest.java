package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryBundleTest {

    private static final List<byte[]> ENTRIES = List.of("{\"id\":\"m1\",\"text\":\"ciao\"}".getBytes(UTF_8),
            new byte[0], "{\"id\":\"m3\",\"text\":\"\u00e0 domani\"}".getBytes(UTF_8), new byte[3000]);

    @Test
    void exportThenOpenGivesTheEntriesInOrder() {
        HistoryBundle.Exported exported = HistoryBundle.export(ENTRIES);
        List<byte[]> opened = HistoryBundle.open(exported.key(), exported.blob());
        assertEquals(ENTRIES.size(), opened.size());
        for (int i = 0; i < ENTRIES.size(); i++) {
            assertArrayEquals(ENTRIES.get(i), opened.get(i), "entry " + i);
        }
    }

    @Test
    void anEmptyHistoryRoundTrips() {
        HistoryBundle.Exported exported = HistoryBundle.export(List.of());
        assertTrue(HistoryBundle.open(exported.key(), exported.blob()).isEmpty());
    }

    @Test
    void theBlobStartsWithItsVersionTagAndEveryExportHasAFreshKey() {
        HistoryBundle.Exported first = HistoryBundle.export(ENTRIES);
        HistoryBundle.Exported second = HistoryBundle.export(ENTRIES);
        assertArrayEquals("sb.hist.v1".getBytes(US_ASCII), Arrays.copyOf(first.blob(), 10));
        assertFalse(Arrays.equals(first.key(), second.key()));
        assertFalse(first.toString().contains(Hex.hex(first.key())), "toString never shows the key");
    }

    @Test
    void anyTamperingIsRefused() {
        HistoryBundle.Exported exported = HistoryBundle.export(ENTRIES.subList(0, 3));
        byte[] blob = exported.blob();
        for (int i = 0; i < blob.length; i++) {
            byte[] tampered = blob.clone();
            tampered[i] ^= 0x01;
            assertThrows(CryptoException.class, () -> HistoryBundle.open(exported.key(), tampered), "byte " + i);
        }
        assertThrows(CryptoException.class,
                () -> HistoryBundle.open(exported.key(), Arrays.copyOf(blob, blob.length - 1)), "truncated");
        assertThrows(CryptoException.class,
                () -> HistoryBundle.open(exported.key(), Arrays.copyOf(blob, blob.length + 1)), "extended");
        assertThrows(CryptoException.class, () -> HistoryBundle.open(exported.key(), Arrays.copyOf(blob, 5)));
    }

    @Test
    void aWrongKeyDoesNotOpen() {
        HistoryBundle.Exported exported = HistoryBundle.export(ENTRIES);
        CryptoException e = assertThrows(CryptoException.class,
                () -> HistoryBundle.open(ContentCipher.newKey(), exported.blob()));
        assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
    }

    @Test
    void aWellEncryptedButMalformedContainerIsRefused() {
        byte[] key = ContentCipher.newKey();
        byte[] trailing = new Wire.Writer("").u32(1).bytes(new byte[] {7}).raw(new byte[] {0}).toByteArray();
        byte[] tooMany = new Wire.Writer("").u32(2).bytes(new byte[] {7}).toByteArray();
        byte[] hugeCount = new Wire.Writer("").u32(-1).toByteArray();
        byte[] pastTheEnd = new Wire.Writer("").u32(1).u32(10).raw(new byte[] {1, 2}).toByteArray();
        for (byte[] contents : List.of(trailing, tooMany, hugeCount, pastTheEnd, new byte[2])) {
            byte[] blob = Bytes.concat("sb.hist.v1".getBytes(US_ASCII),
                    ContentCipher.encrypt(key, contents, "sb.hist.v1".getBytes(US_ASCII)));
            CryptoException e = assertThrows(CryptoException.class, () -> HistoryBundle.open(key, blob),
                    Hex.hex(contents));
            assertTrue(e.getMessage().contains("malformed"), e.getMessage());
        }
    }

    @Test
    void missingInputsAreRefused() {
        assertThrows(CryptoException.class, () -> HistoryBundle.export(null));
        assertThrows(CryptoException.class, () -> HistoryBundle.export(Arrays.asList(new byte[1], null)));
        assertThrows(CryptoException.class, () -> HistoryBundle.open(new byte[31], new byte[40]));
        assertThrows(CryptoException.class, () -> HistoryBundle.open(ContentCipher.newKey(), null));
    }
}
