package dev.switchboard.carrier.receipt;

/**
 * The base a carrier writes its SMSC message ids in, as returned in submit_sm_resp (carrier
 * setting {@code receiptIdBase}). Stored submission ids and receipt ids are both normalised in
 * this base by {@link ReceiptIds}, so they compare as plain strings.
 */
public enum IdBase {
    HEX(16), DECIMAL(10);

    private final int radix;

    IdBase(int radix) { this.radix = radix; }

    public int radix() { return radix; }

    /** The base a misbehaving SMSC uses on the other side of the exchange. */
    public IdBase other() { return this == HEX ? DECIMAL : HEX; }
}
