package io.cosellsync.salesforcewriter.persistence;

import java.time.Instant;
import java.util.Map;

/**
 * What the writer last applied for one referral.
 *
 * @param children collection object → match value (lower case) → the record's id and, where a junction object ties
 *                 it to the opportunity, the junction record's id
 * @param seen     the referral's values of the opportunity fields Salesforce and Partner Center share by the
 *                 "latest" rule, as last seen; null when not recorded (a state from before it was kept)
 */
public record SyncState(String referralId, Instant sourceUpdatedAt, String sourceVersion, String fingerprint,
        String opportunityId, String accountId, Map<String, Map<String, Child>> children, Map<String, Object> seen) {

    public SyncState {
        children = children == null ? Map.of() : children;
    }

    /**
     * A child record, its link to the opportunity, and a hash of the values last written to it (so an unchanged
     * child is not written again).
     */
    public record Child(String id, String link, String hash) {
    }
}
