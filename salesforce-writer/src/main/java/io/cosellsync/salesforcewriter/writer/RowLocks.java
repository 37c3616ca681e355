package io.cosellsync.salesforcewriter.writer;

import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.cosellsync.salesforce.client.SaveResult;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** sObject Collections writes whose records failed only because their rows were locked. */
final class RowLocks {

    private RowLocks() {
    }

    /**
     * The write, sent again (with backoff) while some of its records fail only with row locks; when they keep
     * failing the batch waits for Salesforce ({@link SalesforceUnavailable}).
     */
    static Uni<List<SaveResult>> retried(Supplier<Uni<List<SaveResult>>> call) {
        return call.get().map(results -> {
            if (results.stream().anyMatch(SaveResult::retryable)) {
                throw new SalesforceUnavailable("Salesforce rows locked: " + results.stream()
                        .filter(SaveResult::retryable).findFirst().orElseThrow().errorMessage(), null);
            }
            return results;
        }).onFailure(SalesforceUnavailable.class).retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .withJitter(0.3).atMost(4);
    }
}
