package io.cosellsync.events.salesforce;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * One Salesforce change event as ingress received it from the Pub/Sub API (salesforce-api.md §3.2–3.6), fanned out
 * to one notification per record (a merged event names several): a pointer to a record that changed, with what the
 * header says of the change. The hydrator reads the records named (batched SOQL) and publishes opportunity snapshots.
 *
 * @param entity          the object, e.g. {@code Opportunity}, {@code OpportunityContactRole}
 * @param recordId        the record; null only for {@code GAP_OVERFLOW}, which names none (the whole object is to be
 *                        read again)
 * @param changeType      {@code CREATE}, {@code UPDATE}, {@code DELETE}, {@code UNDELETE}, {@code GAP_*},
 *                        {@code GAP_OVERFLOW}
 * @param transactionKey  the Salesforce transaction; with {@code sequenceNumber} and the record, a change's identity
 * @param commitTimestamp when Salesforce committed it (the clock of a record's fields, per field: {@code changedFields})
 * @param changedFields   the fields an update changed ({@code BillingAddress.City} for a compound's part)
 * @param nulledFields    the fields an update set to null
 * @param probablyOurs    the change came through our client id as the integration user: a hint only — automation
 *                        inside our transaction looks the same, so consumers compare content and never drop on it
 * @param replayId        where the event stands on the org's stream (base64 of Salesforce's opaque bytes)
 * @param receivedAt      when ingress received it
 */
public record ChangeNotification(
        @JsonProperty(required = true) String entity,
        String recordId,
        @JsonProperty(required = true) String changeType,
        @JsonProperty(required = true) String transactionKey,
        int sequenceNumber,
        @JsonProperty(required = true) Instant commitTimestamp,
        String commitUser,
        String changeOrigin,
        List<String> changedFields,
        List<String> nulledFields,
        boolean probablyOurs,
        @JsonProperty(required = true) String replayId,
        @JsonProperty(required = true) Instant receivedAt) {

    public ChangeNotification {
        Require.present(entity, "entity");
        Require.present(changeType, "changeType");
        Require.present(transactionKey, "transactionKey");
        Require.present(commitTimestamp, "commitTimestamp");
        Require.present(replayId, "replayId");
        Require.present(receivedAt, "receivedAt");
        if (recordId == null && !changeType.equals("GAP_OVERFLOW")) {
            Require.present(recordId, "recordId");
        }
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
        nulledFields = nulledFields == null ? List.of() : List.copyOf(nulledFields);
    }

    /** The Kafka key: the record, or for an overflow the object. */
    public String key() {
        return recordId != null ? recordId : entity;
    }

    /** Gap and overflow events say a change happened without its content: the records must be read again. */
    @JsonIgnore
    public boolean isGap() {
        return changeType.startsWith("GAP_");
    }
}
