package dev.switchboard.bench.micro;

import dev.switchboard.carrier.sms.Gsm7Codec;
import dev.switchboard.carrier.sms.Segmenter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/** Turns JMH's results into the scenario's details: every benchmark beside its baseline, and what explains the gaps. */
public final class MicroReport {
    private final Map<String, RunResult> throughput;

    public MicroReport(Map<String, RunResult> throughput) {
        this.throughput = throughput;
    }

    /** Operations per second of a benchmark ({@code Class.method}). */
    public double opsPerSecond(String benchmark) {
        return primary(benchmark).getScore();
    }

    /** {@code [{name, what, score, unit, error, usPerOp, baseline: {...}, ratio}]}, headline first. */
    public JsonArray paired() {
        JsonArray array = new JsonArray();
        for (Pairing p : Pairing.PAIRED) {
            double ratio = opsPerSecond(p.benchmark()) / opsPerSecond(p.baseline());
            array.add(figure(p.benchmark(), p.what())
                    .put("baseline", figure(p.baseline(), p.baselineWhat()))
                    .put("ratio", round(ratio)));
        }
        return array;
    }

    /** The X25519 operations measured alone. */
    public JsonArray components() {
        JsonArray array = new JsonArray();
        Pairing.COMPONENTS.forEach(c -> array.add(figure(c.benchmark(), c.what())));
        return array;
    }

    /**
     * HPKE's fixed cost: its time per call minus the AES-GCM baseline's, set beside the X25519 work
     * the code does per call, so the rest (HKDF, key objects, BouncyCastle's AEAD) shows as the remainder.
     */
    public JsonObject hpkeFixedCost() {
        double publicKeyUs = microsPerOp("HpkeBenchmarks.x25519PublicKey");
        double agreeUs = microsPerOp("HpkeBenchmarks.x25519Agree");
        double sealFixed = microsPerOp("HpkeBenchmarks.hpkeSeal") - microsPerOp("HpkeBenchmarks.aesGcmSeal");
        double openFixed = microsPerOp("HpkeBenchmarks.hpkeOpen") - microsPerOp("HpkeBenchmarks.aesGcmOpen");
        // Seal: X25519.generate() derives the ephemeral public key, Hpke.sealWithEphemeral derives it again from
        // the private key, then the Diffie-Hellman. Open: the recipient's public key from its private key, then the DH.
        double sealX25519 = 2 * publicKeyUs + agreeUs;
        double openX25519 = publicKeyUs + agreeUs;
        return new JsonObject()
                .put("note", "HPKE's fixed cost per call is X25519 plus the HKDF key schedule; the AEAD on 32 bytes is small beside it")
                .put("sealFixedUs", round(sealFixed))
                .put("sealX25519Us", round(sealX25519))
                .put("sealX25519Work", "2 fixed-base (ephemeral public key, derived twice as the code stands) + 1 variable-base (DH)")
                .put("sealRemainderUs", round(sealFixed - sealX25519))
                .put("openFixedUs", round(openFixed))
                .put("openX25519Us", round(openX25519))
                .put("openX25519Work", "1 fixed-base (recipient public key from the private key) + 1 variable-base (DH)")
                .put("openRemainderUs", round(openFixed - openX25519))
                .put("remainderIs", "HKDF-SHA256 key schedule (labeled extract/expand), key objects, BouncyCastle AES-GCM vs JCA");
    }

    /** Sample-time percentiles of one benchmark, microseconds. */
    public static JsonObject latency(String benchmark, RunResult sampled) {
        Statistics s = sampled.getPrimaryResult().getStatistics();
        return new JsonObject()
                .put("benchmark", benchmark)
                .put("mode", "JMH SampleTime, one timed operation per sample")
                .put("samples", s.getN())
                .put("p50Us", round(s.getPercentile(50)))
                .put("p99Us", round(s.getPercentile(99)))
                .put("p999Us", round(s.getPercentile(99.9)))
                .put("maxUs", round(s.getMax()))
                .put("unit", sampled.getPrimaryResult().getScoreUnit());
    }

    /** The sizes of what is measured. */
    public static JsonObject inputs() {
        String text = MicroFixtures.GSM_TEXT;
        String frame = MicroFixtures.syncEvent(MicroFixtures.deliveredSms()).toJson().encode();
        return new JsonObject()
                .put("gsmTextChars", text.length())
                .put("gsmTextSeptets", Gsm7Codec.septetLength(text))
                .put("gsmSegments", new Segmenter().plan(text, MicroFixtures.CONCAT_REFERENCE).segments().size())
                .put("receiptTextChars", MicroFixtures.RECEIPT_TEXT.length())
                .put("syncFrameBytes", frame.getBytes(StandardCharsets.UTF_8).length)
                .put("hpkePayloadBytes", MicroFixtures.CONTENT_KEY_BYTES)
                .put("hpkeAadBytes", MicroFixtures.hpkeAad().length)
                .put("hpkeInfoBytes", MicroFixtures.hpkeInfo().length);
    }

    private JsonObject figure(String benchmark, String what) {
        Result<?> r = primary(benchmark);
        return new JsonObject()
                .put("name", benchmark)
                .put("what", what)
                .put("score", round(r.getScore()))
                .put("unit", r.getScoreUnit())
                // JMH has no error with a single measured iteration; JSON has no NaN.
                .put("error", Double.isNaN(r.getScoreError()) ? null : round(r.getScoreError()))
                .put("usPerOp", round(microsPerOp(benchmark)));
    }

    private double microsPerOp(String benchmark) {
        return 1e6 / opsPerSecond(benchmark);
    }

    private Result<?> primary(String benchmark) {
        RunResult r = throughput.get(benchmark);
        if (r == null) {
            throw new IllegalStateException("JMH returned no result for " + benchmark + "; have " + throughput.keySet());
        }
        return r.getPrimaryResult();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
