/**
 * The cryptographic core of Switchboard's multi-device end-to-end encryption (design:
 * {@code e2ee.md}), shared by the server ({@code inbox}) and the device client library
 * ({@code client}). Pure Java 17 on BouncyCastle's lightweight API: no Vert.x, no Jackson, no JCA
 * provider registration, so it runs the same in the gateway, the CLI and any JVM device.
 *
 * <p>This package owns:
 * <ul>
 *   <li>the primitives, on raw wire-format byte arrays (keys 32 bytes, signatures 64 bytes):
 *       {@link dev.switchboard.crypto.Ed25519} identity and account signatures,
 *       {@link dev.switchboard.crypto.X25519} key agreement, {@link dev.switchboard.crypto.Hkdf}
 *       (RFC 5869, SHA-256);</li>
 *   <li>{@link dev.switchboard.crypto.Hpke} (RFC 9180, DHKEM(X25519, HKDF-SHA256), base and PSK
 *       modes) that wraps each message's content key to every target device and seals the
 *       provisioning message of a QR link;</li>
 *   <li>{@link dev.switchboard.crypto.ContentCipher}, AES-256-GCM for message payloads and
 *       attachments;</li>
 *   <li>{@link dev.switchboard.crypto.Canonical}, the fixed binary encodings of everything that is
 *       signed or bound as HPKE info (never JSON), and
 *       {@link dev.switchboard.crypto.SecurityCode}, the conversation fingerprint users compare
 *       out of band;</li>
 *   <li>the message envelope built on them: {@link dev.switchboard.crypto.MessageHeader},
 *       {@link dev.switchboard.crypto.MessageSealer} (one content key, one payload ciphertext, a
 *       {@link dev.switchboard.crypto.WrappedKey} per target device, the sender's signature, which
 *       also covers a commitment to the content key because AES-GCM does not commit to its key) and
 *       {@link dev.switchboard.crypto.MessageOpener}, plus
 *       {@link dev.switchboard.crypto.AttachmentCipher} and the encrypted
 *       {@link dev.switchboard.crypto.HistoryBundle} for a new companion.</li>
 * </ul>
 * Every failure (malformed input, a failed decryption, a degenerate key agreement) is a
 * {@link dev.switchboard.crypto.CryptoException}; signature checks answer {@code false} instead.
 * Protocol decisions (which keys to trust, version rollback, device-set matching) live in the
 * modules that use this one: this package only computes.
 */
package dev.switchboard.crypto;
