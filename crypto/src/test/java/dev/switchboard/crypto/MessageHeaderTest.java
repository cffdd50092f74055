package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MessageHeaderTest {

    private static final MessageHeader HEADER =
            MessageHeader.of("msg-1", "+390612345", "phone", "+14155550100", 1_767_225_600_000L, 3, 5);

    @Test
    void encodeThenDecodeGivesTheSameHeader() {
        assertEquals(HEADER, MessageHeader.decode(HEADER.encode()));
        MessageHeader unusual = MessageHeader.of("id-\u00e9\u4e2d\ud83d\ude00", "+1", "d", "+2", Long.MAX_VALUE, 0,
                Long.MAX_VALUE);
        assertEquals(unusual, MessageHeader.decode(unusual.encode()));
        assertArrayEquals(unusual.encode(), MessageHeader.decode(unusual.encode()).encode());
    }

    @Test
    void encodingFollowsTheDocumentedLayout() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("sb.hdr.v1".getBytes(US_ASCII));
        expected.writeBytes(new byte[] {0, 0, 0, 1});
        for (String field : new String[] {"msg-1", "+390612345", "phone", "+14155550100"}) {
            byte[] utf8 = field.getBytes(UTF_8);
            expected.writeBytes(new byte[] {0, 0, 0, (byte) utf8.length});
            expected.writeBytes(utf8);
        }
        expected.writeBytes(Hex.bytes("0000019b76daa800")); // 1767225600000
        expected.writeBytes(Hex.bytes("0000000000000003"));
        expected.writeBytes(Hex.bytes("0000000000000005"));
        assertArrayEquals(expected.toByteArray(), HEADER.encode());
    }

    @Test
    void decodeRefusesTrailingBytes() {
        byte[] encoded = HEADER.encode();
        CryptoException e = assertThrows(CryptoException.class,
                () -> MessageHeader.decode(Arrays.copyOf(encoded, encoded.length + 1)));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void decodeRefusesEveryTruncation() {
        byte[] encoded = HEADER.encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThrows(CryptoException.class, () -> MessageHeader.decode(truncated), "length " + length);
        }
        assertThrows(CryptoException.class, () -> MessageHeader.decode(null));
    }

    @Test
    void decodeRefusesAWrongTagOrVersion() {
        byte[] wrongTag = HEADER.encode();
        wrongTag[8] = '2';
        assertTrue(assertThrows(CryptoException.class, () -> MessageHeader.decode(wrongTag))
                .getMessage().contains("tag"));
        byte[] wrongVersion = HEADER.encode();
        wrongVersion[12] = 2;
        assertTrue(assertThrows(CryptoException.class, () -> MessageHeader.decode(wrongVersion))
                .getMessage().contains("version"));
    }

    @Test
    void decodeRefusesALengthRunningPastTheEnd() {
        byte[] encoded = HEADER.encode();
        encoded[13] = (byte) 0xff; // high byte of the message id length
        assertThrows(CryptoException.class, () -> MessageHeader.decode(encoded));
        byte[] tooLong = HEADER.encode();
        tooLong[16] = 6; // message id claims 6 bytes, shifting every later field
        assertThrows(CryptoException.class, () -> MessageHeader.decode(tooLong));
    }

    @Test
    void decodeRefusesMalformedUtf8() {
        byte[] encoded = HEADER.encode();
        encoded[17] = (byte) 0xc0; // first byte of "msg-1": an overlong lead byte
        assertTrue(assertThrows(CryptoException.class, () -> MessageHeader.decode(encoded))
                .getMessage().contains("UTF-8"));
        byte[] surrogate = new Wire.Writer("sb.hdr.v1").u32(1).bytes(Hex.bytes("eda080")).str("+1", "n")
                .str("d", "d").str("+2", "n").u64(1).u64(1).u64(1).toByteArray();
        assertThrows(CryptoException.class, () -> MessageHeader.decode(surrogate), "encoded surrogate");
    }

    @Test
    void decodeRefusesEmptyFieldsAndNegativeNumbers() {
        byte[] emptyId = new Wire.Writer("sb.hdr.v1").u32(1).str("", "id").str("+1", "n").str("d", "d")
                .str("+2", "n").u64(1).u64(1).u64(1).toByteArray();
        assertThrows(CryptoException.class, () -> MessageHeader.decode(emptyId));
        byte[] negative = new Wire.Writer("sb.hdr.v1").u32(1).str("m", "id").str("+1", "n").str("d", "d")
                .str("+2", "n").u64(-1).u64(1).u64(1).toByteArray();
        assertThrows(CryptoException.class, () -> MessageHeader.decode(negative));
    }

    @Test
    void constructorRefusesInvalidFields() {
        assertThrows(CryptoException.class, () -> new MessageHeader(2, "m", "+1", "d", "+2", 1, 1, 1));
        assertThrows(CryptoException.class, () -> MessageHeader.of(null, "+1", "d", "+2", 1, 1, 1));
        assertThrows(CryptoException.class, () -> MessageHeader.of("m", "", "d", "+2", 1, 1, 1));
        assertThrows(CryptoException.class, () -> MessageHeader.of("m", "+1", "\ud800", "+2", 1, 1, 1));
        assertThrows(CryptoException.class, () -> MessageHeader.of("m", "+1", "d", "+2", -1, 1, 1));
        assertThrows(CryptoException.class, () -> MessageHeader.of("m", "+1", "d", "+2", 1, -1, 1));
        assertThrows(CryptoException.class, () -> MessageHeader.of("m", "+1", "d", "+2", 1, 1, -1));
    }
}
