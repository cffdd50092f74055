package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LinkQrTest {

    private static final String KEY = DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic());
    private static final String ID_KEY = DeviceKeys.generate().identityKeyB64();
    private static final String SECRET = secret();

    private static String text(String linkId) {
        return "sblink:2:" + linkId + ":" + KEY + ":" + ID_KEY + ":" + SECRET;
    }

    @Test
    void parsesLinkIdKeysAndLinkingSecret() {
        LinkQr qr = LinkQr.parse(text("lnk_01HX-9.a~b"));

        assertEquals("lnk_01HX-9.a~b", qr.linkId());
        assertEquals(KEY, qr.ephemeralKey());
        assertEquals(ID_KEY, qr.identityKey());
        assertArrayEquals(Base64Url.decode(SECRET), qr.rawLinkingSecret());
    }

    @Test
    void toleratesSurroundingWhitespaceFromCopyAndPaste() {
        assertEquals("abc", LinkQr.parse("  " + text("abc") + "\n").linkId());
    }

    @Test
    void textRoundTrips() {
        assertEquals(text("abc"), LinkQr.parse(text("abc")).text());
    }

    @Test
    void neitherToStringNorErrorsShowTheLinkingSecret() {
        assertFalse(LinkQr.parse(text("abc")).toString().contains(SECRET));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinkQr.parse(text("abc").replace(SECRET, SECRET.substring(1))));
        assertFalse(e.getMessage().contains(SECRET.substring(1)), e.getMessage());
    }

    @Test
    void aVersionOneCodeWithoutLinkingSecretIsRefusedNamingTheVersion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkQr.parse("sblink:1:abc:" + KEY));
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "hello",
        "https://example.com/sblink:2:abc",
        "sblink:2:abc",
        "sblink:2::KEY:IDK:SECRET",
        "sblink:1:abc:KEY:IDK:SECRET",
        "SBLINK:2:abc:KEY:IDK:SECRET",
        "sblink:2:abc:KEY:IDK:SECRET:extra",
        "sblink:2:abc:KEY:IDK",
        "sblink:2:a/b:KEY:IDK:SECRET",
        "sblink:2:a b:KEY:IDK:SECRET",
        "sblink:2:abc:not-a-key:IDK:SECRET",
        "sblink:2:abc:KEY:AAAA:SECRET",
        "sblink:2:abc:KEY:IDK:AAAA",
        "sblink:2:abc:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:IDK:SECRET",
        "sblink:2:abc:+/+/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:IDK:SECRET",
    })
    void rejectsAnythingElse(String text) {
        String filled = text == null ? null : text.replace("KEY", KEY).replace("IDK", ID_KEY).replace("SECRET", SECRET);

        assertThrows(IllegalArgumentException.class, () -> LinkQr.parse(filled));
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64Url.encode(bytes);
    }
}
