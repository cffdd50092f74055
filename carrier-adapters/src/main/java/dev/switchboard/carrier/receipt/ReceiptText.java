package dev.switchboard.carrier.receipt;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a receipt text ({@code id:... sub:... dlvrd:... submit date:... done date:... stat:...
 * err:... text:...}) into its fields.
 *
 * <p>Vendors drop fields, reorder them, change key case ({@code Text:}), add spaces around the
 * colon or between values, and write {@code submit_date} or {@code delivrd}; so keys are found
 * wherever they stand rather than by one fixed pattern, and a field runs to the next key. The one
 * fixed point is {@code text:}: it holds the start of the user's own message, which may contain
 * anything, including {@code stat:}, so everything after it is text and no key is looked for there.
 * A key that repeats before {@code text:} keeps its first value, as the usual order puts the real
 * field first.
 */
final class ReceiptText {
    static final String ID = "id";
    static final String SUB = "sub";
    static final String DLVRD = "dlvrd";
    static final String SUBMIT_DATE = "submitdate";
    static final String DONE_DATE = "donedate";
    static final String STAT = "stat";
    static final String ERR = "err";
    static final String TEXT = "text";

    // The look-behind keeps "id" inside words such as "msgid:" or a byte glued before it from counting.
    private static final Pattern KEY = Pattern.compile(
            "(?<![\\p{Alnum}_])(id|sub|dlvrd|delivrd|submit[\\s_]*date|done[\\s_]*date|stat|err|text)\\s*:",
            Pattern.CASE_INSENSITIVE);

    // Compiled once: String.replaceAll and split would compile them on every call (receipts are a hot path).
    private static final Pattern KEY_SEPARATORS = Pattern.compile("[\\s_]");
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private final Map<String, String> fields;

    private ReceiptText(Map<String, String> fields) { this.fields = fields; }

    static ReceiptText parse(String text) {
        Map<String, String> fields = new HashMap<>();
        // A C-string terminator or padding sometimes survives decoding; it is never content.
        String clean = text == null ? "" : text.replace('\u0000', ' ');
        Matcher m = KEY.matcher(clean);
        String key = null;
        int valueStart = -1;
        while (m.find()) {
            if (key != null) {
                fields.putIfAbsent(key, clean.substring(valueStart, m.start()).strip());
            }
            key = canonical(m.group(1));
            valueStart = m.end();
            if (key.equals(TEXT)) {
                break;
            }
        }
        if (key != null) {
            fields.putIfAbsent(key, clean.substring(valueStart).strip());
        }
        return new ReceiptText(fields);
    }

    private static String canonical(String key) {
        String k = KEY_SEPARATORS.matcher(key.toLowerCase(Locale.ROOT)).replaceAll("");
        return k.equals("delivrd") ? DLVRD : k;
    }

    /** The field's first blank-separated word: values are single tokens, trailing junk is not. */
    Optional<String> token(String key) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(BLANKS.split(value, 2)[0]);
    }

    /** The whole field, for {@code text:} whose value may contain spaces. */
    Optional<String> whole(String key) {
        String value = fields.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
