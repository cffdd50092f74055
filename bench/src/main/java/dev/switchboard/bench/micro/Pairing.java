package dev.switchboard.bench.micro;

import java.util.List;

/**
 * A benchmark of production code and the baseline it is measured against in the same run; a
 * component has no baseline and is reported to explain another figure.
 *
 * @param benchmark    {@code Class.method} of the JMH benchmark
 * @param what         what it measures, in words
 * @param baseline     {@code Class.method} of its baseline, or null for a component
 * @param baselineWhat what the baseline measures, or null
 */
public record Pairing(String benchmark, String what, String baseline, String baselineWhat) {

    /** The headline of the scenario: encode and segment one concatenated SMS. */
    public static final Pairing HEADLINE = new Pairing("SmsBenchmarks.gsmPlan",
            "GSM 03.38 encode + segment a 3-part SMS (Segmenter.plan, UDH8, unpacked)",
            "SmsBenchmarks.asciiGetBytes", "String.getBytes(US_ASCII) of the same text");

    /** Every pairing, the headline first. */
    public static final List<Pairing> PAIRED = List.of(
            HEADLINE,
            new Pairing("SmsBenchmarks.gsmEncode", "GSM 03.38 encode alone (Gsm7Codec.encodeUnpacked)",
                    HEADLINE.baseline(), HEADLINE.baselineWhat()),
            new Pairing("ReceiptBenchmarks.receiptParse", "delivery receipt text parsed (DeliveryReceiptParser.parse)",
                    "ReceiptBenchmarks.receiptIndexOfScan", "indexOf scan of the same fields, nothing interpreted"),
            new Pairing("SyncEventBenchmarks.syncEventFrame",
                    "message.updated sync event from the Message model to frame text (MessageJson + SyncEvent.toJson + encode)",
                    "SyncEventBenchmarks.jacksonPlainMap", "Jackson ObjectMapper writing the same document as a plain Map"),
            new Pairing("SyncEventBenchmarks.syncEventEncode", "the built frame JsonObject to text (per connected device)",
                    "SyncEventBenchmarks.jacksonPlainMap", "Jackson ObjectMapper writing the same document as a plain Map"),
            new Pairing("HpkeBenchmarks.hpkeSeal", "HPKE base-mode seal of a 32-byte content key (X25519, HKDF-SHA256, AES-128-GCM)",
                    "HpkeBenchmarks.aesGcmSeal", "JCA AES-128-GCM seal of the same payload and aad, key ready"),
            new Pairing("HpkeBenchmarks.hpkeOpen", "HPKE base-mode open of the same",
                    "HpkeBenchmarks.aesGcmOpen", "JCA AES-128-GCM open of the same payload and aad, key ready"));

    /** Measured alone to account for HPKE's fixed cost. */
    public static final List<Pairing> COMPONENTS = List.of(
            new Pairing("HpkeBenchmarks.x25519PublicKey", "one fixed-base X25519 multiplication (X25519.publicKeyOf)", null, null),
            new Pairing("HpkeBenchmarks.x25519Agree", "one variable-base X25519 multiplication (X25519.agree)", null, null));

    public boolean component() {
        return baseline == null;
    }
}
