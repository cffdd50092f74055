package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Stat words and message_state values map to one state, with its finality and success. */
class ReceiptStateTest {

    @ParameterizedTest(name = "stat:{0} is {1}, final={2}, success={3}")
    @CsvSource({
        "DELIVRD,   DELIVERED,     true,  true",
        "DELIVERED, DELIVERED,     true,  true",
        "DELIVERD,  DELIVERED,     true,  true",
        "delivrd,   DELIVERED,     true,  true",
        "EXPIRED,   EXPIRED,       true,  false",
        "DELETED,   DELETED,       true,  false",
        "UNDELIV,   UNDELIVERABLE, true,  false",
        "FAILED,    UNDELIVERABLE, true,  false",
        "ACCEPTD,   ACCEPTED,      false, false",
        "ACKED,     ACCEPTED,      false, false",
        "UNKNOWN,   UNKNOWN,       false, false",
        "REJECTD,   REJECTED,      true,  false",
        "ENROUTE,   ENROUTE,       false, false",
        "BUFFRED,   ENROUTE,       false, false",
        "BUFFERD,   ENROUTE,       false, false",
        "SKIPPED,   SKIPPED,       true,  false",
        "SCHEDULED, SCHEDULED,     false, false",
        "WHATEVER,  UNKNOWN,       false, false",
        "2,         DELIVERED,     true,  true",
        "5,         UNDELIVERABLE, true,  false"
    })
    void statWordMapsToState(String word, ReceiptState expected, boolean isFinal, boolean success) {
        ReceiptState state = ReceiptState.fromStat(word).orElseThrow();
        assertEquals(expected, state);
        assertEquals(isFinal, state.isFinal());
        assertEquals(success, state.isSuccess());
    }

    @ParameterizedTest(name = "message_state {0} is {1}")
    @CsvSource({
        "0, SCHEDULED", "1, ENROUTE", "2, DELIVERED", "3, EXPIRED", "4, DELETED",
        "5, UNDELIVERABLE", "6, ACCEPTED", "7, UNKNOWN", "8, REJECTED", "9, SKIPPED"
    })
    void messageStateValueMapsBothWays(int value, ReceiptState expected) {
        assertEquals(Optional.of(expected), ReceiptState.fromMessageState(value));
        assertEquals(value, expected.messageState());
    }

    @ParameterizedTest(name = "message_state {0} is no state")
    @ValueSource(ints = {-1, 10, 42, 255})
    void messageStateOutsideTheSpecIsNoState(int value) {
        assertEquals(Optional.empty(), ReceiptState.fromMessageState(value));
    }

    @ParameterizedTest(name = "stat \"{0}\" is no state")
    @ValueSource(strings = {"", " ", "\t"})
    void blankStatIsNoState(String word) {
        assertEquals(Optional.empty(), ReceiptState.fromStat(word));
    }
}
