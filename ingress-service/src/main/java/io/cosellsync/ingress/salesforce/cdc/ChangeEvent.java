package io.cosellsync.ingress.salesforce.cdc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Salesforce change event as the Pub/Sub API delivers it, decoded (salesforce-api.md §3.2–3.6): the header with
 * its bitmaps read into field names ({@code BillingAddress.City} for a part of a compound field), and the non-null
 * values of the body. A merged event names several records; gap and overflow events carry no values.
 */
public record ChangeEvent(String entity, List<String> recordIds, String changeType, String changeOrigin,
        String transactionKey, int sequenceNumber, Instant commitTimestamp, String commitUser,
        Set<String> changedFields, Set<String> nulledFields, Set<String> diffFields, Map<String, Object> values) {

    public ChangeEvent {
        recordIds = List.copyOf(recordIds);
        changedFields = Set.copyOf(changedFields);
        nulledFields = Set.copyOf(nulledFields);
        diffFields = Set.copyOf(diffFields);
    }

    /** GAP_* and GAP_OVERFLOW events say something changed without saying what: the records must be read again. */
    public boolean isGap() {
        return changeType.startsWith("GAP_");
    }

    /** An overflow names no records: every record of the object changed since the last commit must be read again. */
    public boolean isOverflow() {
        return changeType.equals("GAP_OVERFLOW");
    }

    /**
     * Whether this change was probably made by our own writer — the transaction came through the API with our
     * client id ({@code Sforce-Call-Options: client=…}) and was committed by the integration user (§3.10). Only a
     * hint: automation inside our transaction carries the same origin, so whoever uses it compares content and never
     * drops an event on this alone.
     */
    public boolean probablyOurs(String clientId, String integrationUserId) {
        return changeOrigin != null && changeOrigin.endsWith(";client=" + clientId)
                && integrationUserId.equals(commitUser);
    }
}
