package dev.switchboard.gateway.support;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.X25519;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/** Fresh device keys as raw-HTTP tests send them: identity key, encryption key, and the identity key's signature over it. */
public record SignedKeys(RawKeyPair identity, RawKeyPair encryption) {

    public static SignedKeys generate() {
        return new SignedKeys(Ed25519.generate(), X25519.generate());
    }

    public String identityKey() { return b64(identity.publicKey()); }

    public String encryptionKey() { return b64(encryption.publicKey()); }

    public String encryptionKeySignature() {
        return b64(Ed25519.sign(identity.privateKey(), Canonical.encryptionKeyStatement(encryption.publicKey())));
    }

    /** The key fields of an enrollment or link request body. */
    public JsonObject fields() {
        return new JsonObject().put("identityKey", identityKey()).put("encryptionKey", encryptionKey())
                .put("encryptionKeySignature", encryptionKeySignature());
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
