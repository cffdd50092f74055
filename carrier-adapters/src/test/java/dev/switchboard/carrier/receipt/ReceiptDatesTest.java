package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The 10, 12 and 14 digit receipt dates, read as UTC; anything else is no date. */
class ReceiptDatesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "2501151030,     2025-01-15T10:30:00Z",
        "0001010000,     2000-01-01T00:00:00Z",
        "9912312359,     2099-12-31T23:59:00Z",
        "2402291200,     2024-02-29T12:00:00Z",
        "250115103045,   2025-01-15T10:30:45Z",
        "202501151030,   2025-01-15T10:30:00Z",
        "201907191552,   2019-07-19T15:52:00Z",
        "200101010030,   2020-01-01T01:00:30Z",
        "20250115103045, 2025-01-15T10:30:45Z",
        "20991231235959, 2099-12-31T23:59:59Z"
    })
    void readsTheFormsSeenInTheField(String value, String expected) {
        assertEquals(Optional.of(Instant.parse(expected)), ReceiptDates.parse(value));
    }

    @ParameterizedTest(name = "\"{0}\" is no date")
    @ValueSource(strings = {
        "", "250115103", "25011510301", "2501151030451", "250115103045123", "2501151030451234",
        "2513151030", "2501321030", "2502301200", "2501152430", "2501151060",
        "250115106199", "25011510304x", "25-01-15 10", "25011510:30",
        "25010110100000", "19991231235959", "202513011030", "+501151030"
    })
    void rejectsEverythingElse(String value) {
        assertEquals(Optional.empty(), ReceiptDates.parse(value));
    }
}
