package dev.switchboard.bench.micro;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.carrier.receipt.DeliveryReceipt;
import dev.switchboard.carrier.receipt.DeliveryReceiptParser;
import dev.switchboard.carrier.receipt.ReceiptFields;
import dev.switchboard.carrier.receipt.ReceiptState;
import dev.switchboard.carrier.smpp.SegmentJoiner;
import dev.switchboard.carrier.sms.ConcatInfo;
import dev.switchboard.carrier.sms.ConcatMode;
import dev.switchboard.carrier.sms.Gsm7Codec;
import dev.switchboard.carrier.sms.Gsm7Packing;
import dev.switchboard.carrier.sms.Segmenter;
import dev.switchboard.carrier.sms.SmsEncoding;
import dev.switchboard.carrier.sms.SmsPlan;
import dev.switchboard.carrier.sms.SmsSegment;
import dev.switchboard.carrier.sms.UdhParser;
import dev.switchboard.carrier.sms.UserData;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.crypto.Hpke;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.X25519;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.messages.FragmentStore;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.SyncEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the micro scenario checks before it times anything: every measured operation, and every
 * baseline, gives the right answer on the benchmark inputs and on the awkward cases around them
 * (extension characters and surrogate pairs on segment boundaries, packed septets, tampered
 * ciphertexts). A fast wrong answer is not a result; each failed check counts as one lost.
 */
public final class RoundTripChecks {

    /** How many checks ran and what failed, in words. */
    public record Outcome(int run, List<String> failures) {
        public Outcome {
            failures = List.copyOf(failures);
        }
    }

    private static final int AIR_OCTETS = 140;

    private int run;
    private final List<String> failures = new ArrayList<>();

    private RoundTripChecks() {
    }

    public static Outcome runAll() {
        RoundTripChecks checks = new RoundTripChecks();
        checks.gsmCodec();
        checks.segmentation();
        checks.receipts();
        checks.syncEvents();
        checks.hpke();
        return new Outcome(checks.run, checks.failures);
    }

    // --- GSM 03.38 ---

    private void gsmCodec() {
        for (String text : gsmTexts()) {
            check("GSM decode(encode(x)) == x for " + abbreviate(text),
                    () -> Gsm7Codec.decodeUnpacked(Gsm7Codec.encodeUnpacked(text)).equals(text));
            check("GSM septet count of " + abbreviate(text),
                    () -> Gsm7Codec.encodeUnpacked(text).length == Gsm7Codec.septetLength(text));
        }
        byte[] septets = Gsm7Codec.encodeUnpacked(MicroFixtures.GSM_TEXT);
        for (int fill = 0; fill <= 6; fill++) {
            int f = fill;
            check("GSM unpack(pack(x)) == x after " + f + " fill bits",
                    () -> Arrays.equals(Gsm7Codec.unpack(Gsm7Codec.pack(septets, f), septets.length, f), septets));
        }
    }

    private static List<String> gsmTexts() {
        StringBuilder alphabet = new StringBuilder();
        for (int septet = 0; septet < 128; septet++) {
            if (septet != Gsm7Codec.ESCAPE) {
                alphabet.append(Gsm7Codec.decodeUnpacked(new byte[] {(byte) septet}));
            }
        }
        return List.of(MicroFixtures.GSM_TEXT, alphabet.toString(), "^{}\\[~]|€\f", "@ at the start, @ at the end @", "");
    }

    // --- Segmentation and reassembly ---

    private void segmentation() {
        List<String> texts = List.of(
                MicroFixtures.GSM_TEXT,
                "x".repeat(160),
                // An extension character that does not fit the first segment moves whole to the next.
                "a".repeat(152) + "€" + "b".repeat(200),
                // A surrogate pair on the UCS-2 boundary must not be cut.
                "П".repeat(66) + "😀" + "ривет 😀 ".repeat(20));
        record Setting(ConcatMode mode, Gsm7Packing packing) {}
        List<Setting> settings = List.of(new Setting(ConcatMode.UDH8, Gsm7Packing.UNPACKED),
                new Setting(ConcatMode.UDH16, Gsm7Packing.UNPACKED), new Setting(ConcatMode.UDH8, Gsm7Packing.PACKED),
                new Setting(ConcatMode.SAR, Gsm7Packing.UNPACKED));
        for (String text : texts) {
            for (Setting s : settings) {
                check("segments of " + abbreviate(text) + " in " + s.mode() + "/" + s.packing() + " reassemble",
                        () -> reassembles(new Segmenter(s.mode(), s.packing()), text));
            }
        }
    }

    /** Every segment fits an SMS and names its place; the receiving side's parser and joiner give the text back. */
    private static boolean reassembles(Segmenter segmenter, String text) {
        int reference = MicroFixtures.CONCAT_REFERENCE;
        SmsPlan plan = segmenter.plan(text, reference);
        if (plan.smsCount() != segmenter.preview(text).segments() || plan.segments().size() != plan.smsCount()) {
            return false;
        }
        List<FragmentStore.Segment> received = new ArrayList<>();
        for (SmsSegment segment : plan.segments()) {
            UserData data = UdhParser.parse(segment.udhi() ? UdhParser.UDHI : 0, segment.shortMessage());
            if (!placed(segmenter.mode(), plan, segment, data, reference)) {
                return false;
            }
            byte[] payload = plan.encoding() == SmsEncoding.GSM7 ? data.gsm7Septets(segmenter.packing()) : data.payload();
            if (plan.segments().size() > 1 && airOctets(plan.encoding(), data.header().length, payload.length) > AIR_OCTETS) {
                return false;
            }
            received.add(new FragmentStore.Segment(segment.index(), plan.dataCoding() & 0xFF, plan.encoding().name(), payload));
        }
        // The joiner orders parts itself: hand them over last first, as a network may.
        Collections.reverse(received);
        return new SegmentJoiner().join(plan.segments().size(), received).equals(text);
    }

    private static boolean placed(ConcatMode mode, SmsPlan plan, SmsSegment segment, UserData data, int reference) {
        int total = plan.segments().size();
        if (total == 1) {
            return data.concat().isEmpty() && segment.sar().isEmpty();
        }
        if (mode == ConcatMode.SAR) {
            return data.concat().isEmpty() && segment.sar().isPresent() && segment.sar().get().msgRefNum() == reference
                    && segment.sar().get().totalSegments() == total && segment.sar().get().segmentSeqnum() == segment.index();
        }
        Optional<ConcatInfo> concat = data.concat();
        return concat.isPresent() && concat.get().reference() == reference && concat.get().total() == total
                && concat.get().index() == segment.index();
    }

    // Octets the text takes on the air interface after its header: septets packed, UCS-2 as is.
    private static int airOctets(SmsEncoding encoding, int headerOctets, int units) {
        if (encoding != SmsEncoding.GSM7) {
            return headerOctets + units;
        }
        int fill = headerOctets == 0 ? 0 : Gsm7Codec.fillBits(headerOctets);
        return headerOctets + (fill + 7 * units + 7) / 8;
    }

    // --- Delivery receipts ---

    private void receipts() {
        DeliveryReceiptParser parser = new DeliveryReceiptParser();
        Optional<DeliveryReceipt> parsed = parser.parse(
                ReceiptFields.ofText(MicroFixtures.RECEIPT_ESM_CLASS, MicroFixtures.RECEIPT_TEXT));
        check("the fixture receipt parses", parsed::isPresent);
        parsed.ifPresent(r -> {
            check("receipt id", () -> r.submissionId().equals(MicroFixtures.RECEIPT_ID));
            check("receipt state", () -> r.state() == ReceiptState.DELIVERED && r.isFinal() && r.isSuccess());
            check("receipt stat word", () -> r.stat().equals(Optional.of(MicroFixtures.RECEIPT_STAT)));
            check("receipt err", () -> r.errorCode().equals(Optional.of(MicroFixtures.RECEIPT_ERR)));
            check("receipt submit date", () -> r.submitDate().equals(Optional.of(MicroFixtures.RECEIPT_SUBMIT_DATE)));
            check("receipt done date", () -> r.doneDate().equals(Optional.of(MicroFixtures.RECEIPT_DONE_DATE)));
            check("receipt sub/dlvrd counts", () -> r.submitted().equals(OptionalInt.of(1)) && r.delivered().equals(OptionalInt.of(1)));
            check("receipt text field", () -> r.text().equals(Optional.of(MicroFixtures.RECEIPT_TEXT_FIELD)));
        });
        check("a person's message that reads like a receipt is not one",
                () -> parser.parse(ReceiptFields.ofText(0x00, MicroFixtures.RECEIPT_TEXT)).isEmpty());
        String[] scanned = ReceiptBenchmarks.indexOfScan(MicroFixtures.RECEIPT_TEXT);
        check("the indexOf baseline finds the same id, stat, err and text",
                () -> MicroFixtures.RECEIPT_ID.equals(scanned[0]) && MicroFixtures.RECEIPT_STAT.equals(scanned[5])
                        && MicroFixtures.RECEIPT_ERR.equals(scanned[6]) && MicroFixtures.RECEIPT_TEXT_FIELD.equals(scanned[7]));
    }

    // --- Sync events ---

    private void syncEvents() {
        Message message = MicroFixtures.deliveredSms();
        JsonObject frame = MicroFixtures.syncEvent(message).toJson();
        String text = new SyncEvent(message.number(), MicroFixtures.SEQ, SyncEvent.MESSAGE_UPDATED, message.updatedAt(),
                MessageJson.toJson(message)).toJson().encode();
        check("the frame text parses back to the event", () -> new JsonObject(text).equals(frame));
        check("the frame carries the message", () -> {
            JsonObject parsed = new JsonObject(text);
            JsonObject data = parsed.getJsonObject("data");
            return parsed.getLong("seq") == MicroFixtures.SEQ && SyncEvent.MESSAGE_UPDATED.equals(parsed.getString("type"))
                    && message.id().equals(data.getString("id")) && "delivered".equals(data.getString("status"))
                    && data.getJsonArray("statusHistory").size() == 3 && message.content().text().equals(data.getString("text"));
        });
        check("encoding a built frame gives the same text", () -> frame.encode().equals(text));
        check("the Jackson baseline writes the same document",
                () -> new JsonObject(new ObjectMapper().writeValueAsString(MicroFixtures.plainMap(frame))).equals(frame));
    }

    // --- HPKE and its AES-GCM baseline ---

    private void hpke() {
        Hpke hpke = new Hpke(Hpke.Aead.AES_128_GCM);
        RawKeyPair recipient = X25519.generate();
        byte[] info = MicroFixtures.hpkeInfo();
        byte[] aad = MicroFixtures.hpkeAad();
        for (byte[] payload : List.of(new byte[0], MicroFixtures.contentKey(), "x".repeat(1000).getBytes(StandardCharsets.US_ASCII))) {
            check("HPKE open(seal(x)) == x for " + payload.length + " bytes", () -> {
                Hpke.Sealed sealed = hpke.seal(recipient.publicKey(), info, aad, payload);
                return Arrays.equals(hpke.open(recipient.privateKey(), sealed.enc(), info, aad, sealed.ciphertext()), payload);
            });
        }
        byte[] key = MicroFixtures.contentKey();
        Hpke.Sealed sealed = hpke.seal(recipient.publicKey(), info, aad, key);
        check("HPKE draws a fresh ephemeral key per seal",
                () -> !Arrays.equals(hpke.seal(recipient.publicKey(), info, aad, key).enc(), sealed.enc()));
        byte[] tampered = sealed.ciphertext();
        tampered[0] ^= 1;
        check("HPKE refuses a tampered ciphertext",
                () -> refuses(() -> hpke.open(recipient.privateKey(), sealed.enc(), info, aad, tampered)));
        byte[] otherAad = Arrays.copyOf(aad, aad.length + 1);
        check("HPKE refuses another aad",
                () -> refuses(() -> hpke.open(recipient.privateKey(), sealed.enc(), info, otherAad, sealed.ciphertext())));
        check("AES-GCM baseline open(seal(x)) == x", () -> {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec aesKey = new SecretKeySpec(new byte[16], "AES");
            byte[] nonce = new byte[12];
            byte[] out = HpkeBenchmarks.aesGcmSeal(cipher, aesKey, nonce, aad, key);
            return Arrays.equals(HpkeBenchmarks.aesGcmOpen(cipher, aesKey, nonce, aad, out), key);
        });
    }

    private static boolean refuses(Runnable open) {
        try {
            open.run();
            return false;
        } catch (CryptoException expected) {
            return true;
        }
    }

    // --- Bookkeeping ---

    private void check(String what, Callable<Boolean> test) {
        run++;
        try {
            if (!test.call()) {
                failures.add(what);
            }
        } catch (Exception e) {
            failures.add(what + ": " + e);
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ').replace('\f', ' ');
        return "\"" + (oneLine.length() <= 24 ? oneLine : oneLine.substring(0, 24) + "…") + "\" (" + text.length() + " chars)";
    }
}
