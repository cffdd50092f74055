package dev.switchboard.bench.micro;

import dev.switchboard.carrier.sms.Gsm7Codec;
import dev.switchboard.carrier.sms.Segmenter;
import dev.switchboard.carrier.sms.SmsPlan;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Outbound SMS: GSM 03.38 encoding alone and the whole plan (encoding choice, septet count, cuts,
 * UDH and the encoded payload of each segment) that {@code SmppOutboxWorker} builds per message,
 * against the JDK turning the same characters into bytes.
 */
@State(Scope.Thread)
public class SmsBenchmarks {
    private String text;
    private Segmenter segmenter;

    @Setup
    public void setUp() {
        text = MicroFixtures.GSM_TEXT;
        segmenter = new Segmenter();
        SmsPlan plan = segmenter.plan(text, MicroFixtures.CONCAT_REFERENCE);
        if (plan.segments().size() < 2) {
            throw new IllegalStateException("the fixture must be a concatenated SMS, got " + plan.segments().size() + " segment");
        }
    }

    /** The headline: encode and segment one three-part message. */
    @Benchmark
    public SmsPlan gsmPlan() {
        return segmenter.plan(text, MicroFixtures.CONCAT_REFERENCE);
    }

    @Benchmark
    public byte[] gsmEncode() {
        return Gsm7Codec.encodeUnpacked(text);
    }

    /**
     * Baseline: the JDK's ASCII encoder on the same (ASCII-only) text, one byte per character like
     * unpacked GSM 7-bit: the least any encoder of this text can do.
     */
    @Benchmark
    public byte[] asciiGetBytes() {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
