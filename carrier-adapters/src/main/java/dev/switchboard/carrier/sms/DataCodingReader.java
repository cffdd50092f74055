package dev.switchboard.carrier.sms;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Receive side: what a {@code data_coding} value means for one carrier, and the text of a payload.
 *
 * <p>Values 0x00-0x0F follow the SMPP table, with 0 and 1 read per carrier ({@link DataCoding0},
 * {@link DataCoding1}). Above that, the GSM 03.38 data coding scheme applies, because SMSCs and
 * libraries (jsmpp's {@code GeneralDataCoding}, for one) send it although SMPP 3.4 calls the range
 * reserved:
 * <ul>
 *   <li>0x10-0x1F general coding with a message class: 0x10-0x13 GSM 7-bit, 0x18-0x1B UCS-2
 *       (0x19 is UCS-2 class 1, what jsmpp makes of {@code ALPHA_UCS2 + CLASS1});</li>
 *   <li>0x40-0x5F the same, "marked for automatic deletion" (the mark is the handset's business);</li>
 *   <li>0xC0-0xDF message waiting groups, GSM 7-bit; 0xE0-0xEF message waiting, UCS-2;</li>
 *   <li>0xF0-0xF3 GSM 7-bit with a message class.</li>
 * </ul>
 * GSM 7-bit is read unpacked in every form, as SMPP carries it. Everything else (8-bit binary,
 * compressed, reserved, national character sets) throws {@link UnsupportedDataCodingException}:
 * the TS 23.038 advice to read reserved values as GSM 7-bit would store garbage without a trace.
 */
public final class DataCodingReader {

    private final DataCoding0 dataCoding0;
    private final DataCoding1 dataCoding1;

    /** A reader that takes data_coding 1 as IA5, as SMPP defines it. */
    public DataCodingReader(DataCoding0 dataCoding0) {
        this(dataCoding0, DataCoding1.IA5);
    }

    public DataCodingReader(DataCoding0 dataCoding0, DataCoding1 dataCoding1) {
        this.dataCoding0 = Objects.requireNonNull(dataCoding0, "dataCoding0");
        this.dataCoding1 = Objects.requireNonNull(dataCoding1, "dataCoding1");
    }

    /**
     * Resolves a value. Accepts 0..255, or a negative Java byte as jsmpp hands it over (it stands for
     * the unsigned octet).
     *
     * @throws UnsupportedDataCodingException for reserved or unsupported values, or anything outside
     *         a byte
     */
    public ReceivedCoding resolve(int dataCoding) {
        if (dataCoding < Byte.MIN_VALUE || dataCoding > 0xFF) {
            throw new UnsupportedDataCodingException(dataCoding, "not an octet (" + dataCoding + ")");
        }
        int value = dataCoding & 0xFF;
        switch (value) {
            case 0x00:
                return plain(value, dataCoding0.encoding());
            case 0x01:
                return plain(value, dataCoding1.encoding());
            case 0x02:
            case 0x04:
                throw new UnsupportedDataCodingException(value, "8-bit binary data is not text");
            case 0x03:
                return plain(value, SmsEncoding.LATIN1);
            case 0x08:
                return plain(value, SmsEncoding.UCS2);
            case 0x05:
            case 0x06:
            case 0x07:
            case 0x09:
            case 0x0A:
            case 0x0D:
            case 0x0E:
                throw new UnsupportedDataCodingException(value, "character set not supported");
            case 0x0B:
            case 0x0C:
            case 0x0F:
                throw new UnsupportedDataCodingException(value, "reserved");
            default:
                return resolveGsmScheme(value);
        }
    }

    /**
     * Decodes one payload. For a concatenated set, resolve once and decode the joined payloads, so
     * characters a sloppy peer split across segments survive.
     *
     * @throws UnsupportedDataCodingException for reserved or unsupported values
     */
    public String decode(int dataCoding, byte[] payload) {
        return resolve(dataCoding).decode(payload);
    }

    private static ReceivedCoding resolveGsmScheme(int value) {
        int group = value >>> 4;
        if (group <= 0x7) {
            // 00xx and 01xx: general coding, 01xx also marked for automatic deletion.
            if ((value & 0x20) != 0) {
                throw new UnsupportedDataCodingException(value, "compressed text is not supported");
            }
            OptionalInt messageClass = (value & 0x10) != 0 ? OptionalInt.of(value & 0x03) : OptionalInt.empty();
            return switch ((value >>> 2) & 0x03) {
                case 0 -> new ReceivedCoding(value, SmsEncoding.GSM7, messageClass);
                case 1 -> throw new UnsupportedDataCodingException(value, "8-bit binary data is not text");
                case 2 -> new ReceivedCoding(value, SmsEncoding.UCS2, messageClass);
                default -> throw new UnsupportedDataCodingException(value, "reserved alphabet");
            };
        }
        return switch (group) {
            case 0xC, 0xD -> plain(value, SmsEncoding.GSM7);
            case 0xE -> plain(value, SmsEncoding.UCS2);
            case 0xF -> {
                if ((value & 0x08) != 0) {
                    throw new UnsupportedDataCodingException(value, "reserved");
                }
                if ((value & 0x04) != 0) {
                    throw new UnsupportedDataCodingException(value, "8-bit binary data is not text");
                }
                yield new ReceivedCoding(value, SmsEncoding.GSM7, OptionalInt.of(value & 0x03));
            }
            default -> throw new UnsupportedDataCodingException(value, "reserved");
        };
    }

    private static ReceivedCoding plain(int value, SmsEncoding encoding) {
        return new ReceivedCoding(value, encoding, OptionalInt.empty());
    }
}
