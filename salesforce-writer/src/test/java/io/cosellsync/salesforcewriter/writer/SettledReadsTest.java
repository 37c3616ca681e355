package io.cosellsync.salesforcewriter.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettledReadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SECOND = Instant.parse("2026-12-07T15:00:07Z");

    private static JsonNode row(String lastModified, String systemModstamp) {
        var row = JSON.createObjectNode();
        if (lastModified != null) {
            row.put("LastModifiedDate", lastModified);
        }
        if (systemModstamp != null) {
            row.put("SystemModstamp", systemModstamp);
        }
        return row;
    }

    @Test
    void aReadBegunAfterTheSecondOfEveryStampIsOverIsTrusted() {
        List<JsonNode> rows = List.of(row("2026-12-07T15:00:06.000+0000", "2026-12-07T15:00:06.000+0000"));
        assertEquals(Optional.empty(), SettledReads.wait(rows, SECOND.plusMillis(300), SECOND.plusMillis(350)));
    }

    @Test
    void aReadWithinTheSecondOfAStampIsMadeAgainOnceThatSecondAndTheMarginAreOver() {
        List<JsonNode> rows = List.of(row("2026-12-07T15:00:06.000+0000", null),
                row("2026-12-07T15:00:07.000+0000", null));
        assertEquals(Optional.of(Duration.ofMillis(1200 - 350)),
                SettledReads.wait(rows, SECOND.plusMillis(300), SECOND.plusMillis(350)));
        // the read began in the margin after the second: still read again, without waiting if that is over too
        assertEquals(Optional.of(Duration.ZERO),
                SettledReads.wait(rows, SECOND.plusMillis(1100), SECOND.plusMillis(1300)));
        assertEquals(Optional.empty(), SettledReads.wait(rows, SECOND.plusMillis(1200), SECOND.plusMillis(1300)));
    }

    @Test
    void theLaterOfTheTwoStampsCounts() {
        List<JsonNode> rows = List.of(row("2026-12-07T15:00:01.000+0000", "2026-12-07T15:00:07.000+0000"));
        assertEquals(Optional.of(Duration.ofMillis(700)), SettledReads.wait(rows, SECOND.plusMillis(400),
                SECOND.plusMillis(500)));
    }

    @Test
    void aStampAheadOfOurClockWaitsNoLongerThanASecondAndTheMargin() {
        List<JsonNode> rows = List.of(row("2026-12-07T15:01:00.000+0000", null));
        assertEquals(Optional.of(Duration.ofMillis(1200)), SettledReads.wait(rows, SECOND, SECOND));
    }

    @Test
    void rowsWithoutStampsOrNoRowsNeedNoWait() {
        assertEquals(Optional.empty(), SettledReads.wait(List.of(), SECOND, SECOND));
        assertEquals(Optional.empty(), SettledReads.wait(List.of(row(null, null)), SECOND, SECOND));
    }
}
