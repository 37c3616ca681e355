package io.cosellsync.salesforcewriter.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.cosellsync.salesforce.client.SaveResult;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowLocksTest {

    private static SaveResult created(String record) {
        return new SaveResult("id-" + record, true, true, List.of());
    }

    private static SaveResult locked() {
        return new SaveResult(null, false, false, List.of(new SaveResult.RecordError("UNABLE_TO_LOCK_ROW",
                "unable to obtain exclusive access to this record", List.of())));
    }

    @Test
    void onlyTheRecordsWhoseRowsWereLockedAreSentAgain() {
        List<List<String>> sent = new ArrayList<>();
        List<SaveResult> results = RowLocks.<String>retried(List.of("a", "b", "c"), records -> {
            sent.add(records);
            // the first call writes a and c; b's row is locked once
            return Uni.createFrom().item(records.stream().map(r -> sent.size() == 1 && r.equals("b") ? locked()
                    : created(r)).toList());
        }).await().atMost(Duration.ofSeconds(30));
        assertEquals(List.of(List.of("a", "b", "c"), List.of("b")), sent, "a and c were created: never again");
        assertEquals(List.of("id-a", "id-b", "id-c"), results.stream().map(SaveResult::id).toList());
    }

    @Test
    void rowsStillLockedAfterEveryRetryMakeTheBatchWaitForSalesforce() {
        List<List<String>> sent = new ArrayList<>();
        assertThrows(SalesforceUnavailable.class, () -> RowLocks.<String>retried(List.of("a", "b"), records -> {
            sent.add(records);
            return Uni.createFrom().item(records.stream().map(r -> r.equals("b") ? locked() : created(r)).toList());
        }).await().atMost(Duration.ofSeconds(60)));
        assertEquals(1 + RowLocks.RETRIES, sent.size());
        sent.subList(1, sent.size()).forEach(again -> assertEquals(List.of("b"), again));
    }
}
