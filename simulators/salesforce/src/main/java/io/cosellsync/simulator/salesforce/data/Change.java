package io.cosellsync.simulator.salesforce.data;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One committed change to one record, with what change data capture reports of it (salesforce-api.md §3):
 * the transaction it belonged to and its place in it, who made it and through which API client
 * ({@code changeOrigin} from {@code Sforce-Call-Options}), and the fields it changed with their new values (and,
 * for an update, the values they had before).
 */
public record Change(long sequence, String transactionKey, int sequenceNumber, Instant commitTimestamp,
        String commitUser, String changeOrigin, String entityName, String changeType, String recordId,
        List<String> changedFields, Map<String, Object> newValues, Map<String, Object> previousValues) {
}
