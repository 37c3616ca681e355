package io.cosellsync.salesforcewriter.writer;

import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.cosellsync.salesforce.client.SaveResult;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** sObject Collections writes whose records failed only because their rows were locked. */
final class RowLocks {

    /** Attempts after the first. */
    static final int RETRIES = 4;

    private RowLocks() {
    }

    /**
     * The write, with its records that failed only with row locks sent again (with backoff) — those alone: the
     * collection is not all-or-none, so its other records were written, and a create sent twice is a duplicate.
     * When some keep failing the batch waits for Salesforce ({@link SalesforceUnavailable}); a call that failed as a
     * whole (Salesforce unavailable) is sent again with the records not yet written.
     *
     * @param records what the call writes, in order
     * @param call    the collections call for some of the records; results in their order
     * @return each record's result, in the order of {@code records}
     */
    static <R> Uni<List<SaveResult>> retried(List<R> records, Function<List<R>, Uni<List<SaveResult>>> call) {
        SaveResult[] results = new SaveResult[records.size()];
        return Uni.createFrom().deferred(() -> {
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null || results[i].retryable()) {
                    pending.add(i);
                }
            }
            return call.apply(pending.stream().map(records::get).toList()).map(answer -> {
                for (int k = 0; k < pending.size(); k++) {
                    results[pending.get(k)] = answer.get(k);
                }
                SaveResult locked = Arrays.stream(results).filter(SaveResult::retryable).findFirst().orElse(null);
                if (locked != null) {
                    throw new SalesforceUnavailable("Salesforce rows locked: " + locked.errorMessage(), null);
                }
                return List.of(results);
            });
        }).onFailure(SalesforceUnavailable.class).retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .withJitter(0.3).atMost(RETRIES);
    }
}
