package io.cosellsync.salesforce.client;

import java.util.List;

/**
 * One record's result in an sObject Collections call (Salesforce's SaveResult / UpsertResult / DeleteResult).
 *
 * @param created for upserts: whether the record was inserted
 */
public record SaveResult(String id, boolean success, boolean created, List<RecordError> errors) {

    public SaveResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A per-record error; {@code statusCode} is Salesforce's code (e.g. {@code REQUIRED_FIELD_MISSING}). */
    public record RecordError(String statusCode, String message, List<String> fields) {
    }

    /** A record that may succeed when sent again: a row lock, or a sibling's failure under all-or-none. */
    public boolean retryable() {
        return !success && !errors.isEmpty() && errors.stream().allMatch(e -> "UNABLE_TO_LOCK_ROW".equals(
                e.statusCode()) || "ALL_OR_NONE_OPERATION_ROLLED_BACK".equals(e.statusCode()));
    }

    /** A conditional update refused because the record was modified after it was read. */
    public boolean modifiedSinceRead() {
        return !success && SalesforceClient.MODIFIED_SINCE.equals(errorCode());
    }

    public String errorCode() {
        return errors.isEmpty() ? "UNKNOWN" : errors.get(0).statusCode();
    }

    public String errorMessage() {
        return errors.isEmpty() ? "Salesforce reported a failure without an error" : String.join("; ",
                errors.stream().map(e -> e.statusCode() + ": " + e.message()
                        + (e.fields() == null || e.fields().isEmpty() ? "" : " " + e.fields())).toList());
    }
}
