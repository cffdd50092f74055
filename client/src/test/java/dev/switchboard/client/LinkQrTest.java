package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LinkQrTest {

    private static final String KEY = DeviceKeys.rawPublicKeyB64(DeviceKeys.generateEphemeral().getPublic());

    @Test
    void parsesLinkIdAndEphemeralKey() {
        LinkQr qr = LinkQr.parse("sblink:1:lnk_01HX-9.a~b:" + KEY);

        assertEquals("lnk_01HX-9.a~b", qr.linkId());
        assertEquals(KEY, qr.ephemeralKey());
    }

    @Test
    void toleratesSurroundingWhitespaceFromCopyAndPaste() {
        assertEquals("abc", LinkQr.parse("  sblink:1:abc:" + KEY + "\n").linkId());
    }

    @Test
    void textRoundTrips() {
        String text = "sblink:1:abc:" + KEY;

        assertEquals(text, LinkQr.parse(text).text());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "hello",
        "https://example.com/sblink:1:abc",
        "sblink:1:abc",
        "sblink:1::KEY",
        "sblink:2:abc:KEY",
        "SBLINK:1:abc:KEY",
        "xblink:1:abc:KEY",
        "sblink:1:abc:KEY:extra",
        "sblink:1:a/b:KEY",
        "sblink:1:a b:KEY",
        "sblink:1:abc:not-a-key",
        "sblink:1:abc:AAAA",
        "sblink:1:abc:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "sblink:1:abc:+/+/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    })
    void rejectsAnythingElse(String text) {
        String withKey = text == null ? null : text.replace("KEY", KEY);

        assertThrows(IllegalArgumentException.class, () -> LinkQr.parse(withKey));
    }
}
