package dev.switchboard.bench.micro;

import dev.switchboard.carrier.receipt.DeliveryReceipt;
import dev.switchboard.carrier.receipt.DeliveryReceiptParser;
import dev.switchboard.carrier.receipt.ReceiptFields;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Delivery receipts: the production parser (esm_class check, vendor-tolerant key search, state
 * mapping, dates read as UTC, counts) on the commonest receipt shape, against a bare
 * {@code indexOf} scan that pulls the same fields out of a well-formed text and interprets nothing.
 */
@State(Scope.Thread)
public class ReceiptBenchmarks {
    private static final String[] KEYS = {"id:", "sub:", "dlvrd:", "submit date:", "done date:", "stat:", "err:"};

    private DeliveryReceiptParser parser;
    private String text;

    @Setup
    public void setUp() {
        parser = new DeliveryReceiptParser();
        text = MicroFixtures.RECEIPT_TEXT;
        if (parser.parse(ReceiptFields.ofText(MicroFixtures.RECEIPT_ESM_CLASS, text)).isEmpty()) {
            throw new IllegalStateException("the fixture receipt does not parse");
        }
    }

    /** What {@code CarrierDeliverListener} does per deliver_sm once jsmpp has decoded it. */
    @Benchmark
    public Optional<DeliveryReceipt> receiptParse() {
        return parser.parse(ReceiptFields.ofText(MicroFixtures.RECEIPT_ESM_CLASS, text));
    }

    /** Baseline: each key found with {@code indexOf}, its value cut at the next blank; the text field to the end. */
    @Benchmark
    public String[] receiptIndexOfScan() {
        return indexOfScan(text);
    }

    /** Fields in {@link #KEYS} order, then the {@code text:} field; null for a key not found. */
    static String[] indexOfScan(String receipt) {
        String[] fields = new String[KEYS.length + 1];
        for (int k = 0; k < KEYS.length; k++) {
            int at = receipt.indexOf(KEYS[k]);
            if (at >= 0) {
                int from = at + KEYS[k].length();
                int end = receipt.indexOf(' ', from);
                fields[k] = receipt.substring(from, end < 0 ? receipt.length() : end);
            }
        }
        int text = receipt.indexOf("text:");
        fields[KEYS.length] = text < 0 ? null : receipt.substring(text + "text:".length());
        return fields;
    }
}
