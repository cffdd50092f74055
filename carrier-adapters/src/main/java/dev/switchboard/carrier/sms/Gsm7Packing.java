package dev.switchboard.carrier.sms;

/**
 * How GSM 7-bit text sits in an SMPP payload. SMPP carries it {@link #UNPACKED}, one septet per
 * octet (with data_coding 0 the SMSC packs it for the air interface and works out the fill bits
 * after a UDH itself); that is the default. {@link #PACKED} exists for carriers that want the air
 * interface form, with the fill bits TS 23.040 puts between a UDH and the text.
 */
public enum Gsm7Packing {
    UNPACKED,
    PACKED
}
