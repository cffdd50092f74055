package dev.switchboard.gateway.media;

import dev.switchboard.carrier.MediaLinks;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Public, expiring links to media for parties without a device token: an RCS provider fetching a
 * file we send, an SMS recipient tapping a link. The link carries its expiry and an HMAC-SHA256 of
 * the media id and expiry under a key kept in the data folder, so no state is needed to check it.
 */
public final class SignedMediaLinks implements MediaLinks {
    public static final String PATH = "/media/public/";
    private static final long DAY = 86_400;

    /** Whether a presented link is good. */
    public enum Check { VALID, EXPIRED, INVALID }

    private final byte[] key;
    private final Supplier<String> baseUrl;
    private final Duration ttl;
    private final Clock clock;

    public SignedMediaLinks(byte[] key, Supplier<String> baseUrl, Duration ttl, Clock clock) {
        this.key = key.clone();
        this.baseUrl = baseUrl;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * The expiry is rounded up to the next whole day, so every link made for the same media on the
     * same day is the same text: a long SMS resent segment by segment never joins halves of two links.
     */
    @Override
    public String link(String mediaId) {
        long at = clock.instant().plus(ttl).getEpochSecond();
        long expires = Math.floorDiv(at + DAY - 1, DAY) * DAY;
        return baseUrl.get() + PATH + mediaId + "?expires=" + expires + "&signature=" + sign(mediaId, expires);
    }

    public Check check(String mediaId, String expires, String signature) {
        if (mediaId == null || expires == null || signature == null || !expires.matches("[0-9]{1,12}")) {
            return Check.INVALID;
        }
        long at = Long.parseLong(expires);
        byte[] expected = sign(mediaId, at).getBytes(StandardCharsets.US_ASCII);
        // Constant time: the signature is the only secret-derived value the caller controls.
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        return clock.instant().getEpochSecond() > at ? Check.EXPIRED : Check.VALID;
    }

    private String sign(String mediaId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal((mediaId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
