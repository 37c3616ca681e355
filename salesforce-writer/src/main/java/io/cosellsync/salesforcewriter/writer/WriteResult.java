package io.cosellsync.salesforcewriter.writer;

/** How one upsert command ended. */
public enum WriteResult {
    /** Written to Salesforce. */
    APPLIED,
    /** Identical to what was applied last: no call. */
    UNCHANGED,
    /** Older than what was applied (or than a newer command in the same batch): no call. */
    STALE,
    /** Refused by Salesforce for good: dead-lettered with the reason. */
    FAILED
}
