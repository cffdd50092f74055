package dev.switchboard.inbox.model;

import dev.switchboard.inbox.InboxException;
import java.util.regex.Pattern;

/** E.164 numbers as the gateway accepts them: a plus sign and 8 to 15 digits. */
public final class PhoneNumber {
    private static final Pattern E164 = Pattern.compile("\\+[0-9]{8,15}");

    private PhoneNumber() {}

    public static boolean isValid(String value) {
        return value != null && E164.matcher(value).matches();
    }

    /** Returns the number unchanged, or fails naming the field it came from. */
    public static String require(String field, String value) {
        if (!isValid(value)) {
            throw InboxException.invalid(field, "must be an E.164 number: '+' then 8 to 15 digits");
        }
        return value;
    }
}
