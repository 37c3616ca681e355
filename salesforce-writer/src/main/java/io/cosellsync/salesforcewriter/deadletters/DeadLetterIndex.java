package io.cosellsync.salesforcewriter.deadletters;

import io.cosellsync.events.outcome.DeadLetter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * The dead-letter index ({@code dead_letter}): one row per failed record and tenant, with its state ({@code open},
 * {@code replayed}, {@code resolved}, {@code discarded}) and how often it failed. A letter is the original record's
 * event id (or, for a record without one, where it was read: topic, partition, offset), so a record that fails again
 * after a replay is a further failure of the same letter, open again, never a second letter; the same dead-letter
 * record read twice (a redelivery) changes nothing.
 */
@ApplicationScoped
public class DeadLetterIndex {

    /** What the index holds of one letter. */
    public record Indexed(String tenant, String letterId, String service, String reasonCode, String reason,
            int failures, String state) {
    }

    private final Pool pool;

    public DeadLetterIndex(Pool pool) {
        this.pool = pool;
    }

    /** The letter id of a dead letter: the original event id, else the original record's position. */
    public static String letterId(DeadLetter letter) {
        return letter.originalEventId() != null && !letter.originalEventId().isBlank() ? letter.originalEventId()
                : letter.originalTopic() + "/" + letter.originalPartition() + "/" + letter.originalOffset();
    }

    /**
     * Indexes a dead letter read at {@code letterAt} (the dead-letter record's topic/partition/offset); emits the
     * letter as it stands now.
     *
     * @param tenant the tenant the record named, or "" when it named no valid one
     */
    public Uni<Indexed> record(String tenant, DeadLetter letter, String letterAt) {
        OffsetDateTime failedAt = letter.failedAt().atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("""
                INSERT INTO dead_letter (tenant_id, letter_id, service, reason_code, reason, attempts, original_topic,
                    original_key, original_type, original_payload, payload_encoding, first_failed_at, last_failed_at,
                    last_letter_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
                ON CONFLICT (tenant_id, letter_id) DO UPDATE
                    SET service = EXCLUDED.service, reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,
                        attempts = EXCLUDED.attempts, failures = dead_letter.failures + 1, state = 'open',
                        last_failed_at = EXCLUDED.last_failed_at, last_letter_at = EXCLUDED.last_letter_at
                  WHERE dead_letter.last_letter_at <> EXCLUDED.last_letter_at
                RETURNING tenant_id, letter_id, service, reason_code, reason, failures, state""")
                .execute(Tuple.tuple(Arrays.asList(tenant, letterId(letter), letter.service(), letter.reasonCode(),
                        letter.reason(), letter.attempts(), letter.originalTopic(), letter.originalKey(),
                        letter.originalType(), letter.originalPayload(), letter.payloadEncoding(), failedAt,
                        letterAt)))
                .chain(rows -> rows.iterator().hasNext() ? Uni.createFrom().item(indexed(rows.iterator().next()))
                        : find(tenant, letterId(letter)).map(Optional::orElseThrow));
    }

    /** Records the opportunity the letter concerns (found in Salesforce). */
    public Uni<Void> attach(String tenant, String letterId, String opportunityId) {
        return pool.preparedQuery("UPDATE dead_letter SET opportunity_id = $3 WHERE tenant_id = $1 AND letter_id = $2")
                .execute(Tuple.of(tenant, letterId, opportunityId)).replaceWithVoid();
    }

    public Uni<Optional<Indexed>> find(String tenant, String letterId) {
        return pool.preparedQuery("SELECT tenant_id, letter_id, service, reason_code, reason, failures, state"
                + " FROM dead_letter WHERE tenant_id = $1 AND letter_id = $2")
                .execute(Tuple.of(tenant, letterId))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(indexed(rows.iterator().next()))
                        : Optional.empty());
    }

    private static Indexed indexed(Row row) {
        return new Indexed(row.getString("tenant_id"), row.getString("letter_id"), row.getString("service"),
                row.getString("reason_code"), row.getString("reason"), row.getInteger("failures"),
                row.getString("state"));
    }
}
