package dev.switchboard.carrier.smpp.server;

/** Turns a short_message payload into text; fails with the data_coding it could not handle. */
@FunctionalInterface
public interface SmsTextDecoder {
    String decode(byte dataCoding, byte[] payload) throws UnsupportedCodingException;

    final class UnsupportedCodingException extends Exception {
        public UnsupportedCodingException(String message) { super(message, null, false, false); }
    }
}
