package dev.switchboard.inbox.persistence;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque random identifiers with a short prefix that says what they name. */
public final class Ids {
    private final SecureRandom random;

    public Ids(SecureRandom random) { this.random = random; }

    public String next(String prefix) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** 32 random bytes, base64url: device tokens, link secrets and the generated admin token. */
    public String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The code an enrollment SMS carries: six digits. */
    public String smsCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    /** A short code a person types: eight digits. */
    public String enrollmentCode() {
        return String.format("%08d", random.nextInt(100_000_000));
    }
}
