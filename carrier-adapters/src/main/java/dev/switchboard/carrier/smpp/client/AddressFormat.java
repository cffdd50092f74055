package dev.switchboard.carrier.smpp.client;

import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;

/**
 * How E.164 numbers are written in the PDUs sent to a carrier. Most SMSCs want TON 1 / NPI 1 and
 * the digits alone; some insist on the plus sign, or on TON 0 with the plus sign.
 */
public enum AddressFormat {
    INTERNATIONAL(TypeOfNumber.INTERNATIONAL, false),
    INTERNATIONAL_PLUS(TypeOfNumber.INTERNATIONAL, true),
    UNKNOWN_PLUS(TypeOfNumber.UNKNOWN, true);

    private final TypeOfNumber ton;
    private final boolean plus;

    AddressFormat(TypeOfNumber ton, boolean plus) {
        this.ton = ton;
        this.plus = plus;
    }

    public TypeOfNumber ton() { return ton; }

    public NumberingPlanIndicator npi() { return NumberingPlanIndicator.ISDN; }

    /** The number as this carrier wants it written. */
    public String write(String e164) {
        String digits = e164.startsWith("+") ? e164.substring(1) : e164;
        return plus ? "+" + digits : digits;
    }
}
