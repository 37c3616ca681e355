package io.cosellsync.salesforcewriter.deadletters;

import io.cosellsync.events.outcome.DeadLetter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** A letter as operators see it: everything the index holds, the original record included. */
    public record Letter(String tenant, String letterId, String service, String reasonCode, String reason,
            int attempts, int failures, String state, String originalTopic, String originalKey, String originalType,
            String originalPayload, String payloadEncoding, Map<String, String> originalHeaders,
            Instant firstFailedAt, Instant lastFailedAt, String opportunityId, int replays, String discardReason) {
    }

    /**
     * Which letters: those of the given tenants (null: every tenant, for release-wide operators), narrowed by any of
     * the other fields (null: any). {@code record} matches the letter id, the original record's key or the
     * opportunity; the time window is on the last failure.
     */
    public record Filter(Collection<String> tenants, String service, String reasonCode, String state, String record,
            Instant since, Instant until, int limit) {
    }

    private static final String COLUMNS = "tenant_id, letter_id, service, reason_code, reason, attempts, failures,"
            + " state, original_topic, original_key, original_type, original_payload, payload_encoding,"
            + " original_headers, first_failed_at, last_failed_at, opportunity_id, replays, discard_reason";

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
                    last_letter_at, original_headers)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)
                ON CONFLICT (tenant_id, letter_id) DO UPDATE
                    SET service = EXCLUDED.service, reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,
                        attempts = EXCLUDED.attempts, failures = dead_letter.failures + 1, state = 'open',
                        last_failed_at = EXCLUDED.last_failed_at, last_letter_at = EXCLUDED.last_letter_at
                  WHERE dead_letter.last_letter_at <> EXCLUDED.last_letter_at
                RETURNING tenant_id, letter_id, service, reason_code, reason, failures, state""")
                .execute(Tuple.tuple(Arrays.asList(tenant, letterId(letter), letter.service(), letter.reasonCode(),
                        letter.reason(), letter.attempts(), letter.originalTopic(), letter.originalKey(),
                        letter.originalType(), letter.originalPayload(), letter.payloadEncoding(), failedAt,
                        letterAt, headers(letter))))
                .chain(rows -> rows.iterator().hasNext() ? Uni.createFrom().item(indexed(rows.iterator().next()))
                        : find(tenant, letterId(letter)).map(Optional::orElseThrow));
    }

    /** Records the opportunity the letter concerns (found in Salesforce). */
    public Uni<Void> attach(String tenant, String letterId, String opportunityId) {
        return pool.preparedQuery("UPDATE dead_letter SET opportunity_id = $3 WHERE tenant_id = $1 AND letter_id = $2")
                .execute(Tuple.of(tenant, letterId, opportunityId)).replaceWithVoid();
    }

    /** The letters a filter selects, newest failure first. */
    public Uni<List<Letter>> list(Filter filter) {
        List<String> where = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (filter.tenants() != null) {
            values.add(filter.tenants().toArray(new String[0]));
            where.add("tenant_id = ANY($" + values.size() + ")");
        }
        condition(where, values, "service = $", filter.service());
        condition(where, values, "reason_code = $", filter.reasonCode());
        condition(where, values, "state = $", filter.state());
        if (filter.record() != null) {
            values.add(filter.record());
            int n = values.size();
            where.add("(letter_id = $" + n + " OR original_key = $" + n + " OR opportunity_id = $" + n + ")");
        }
        condition(where, values, "last_failed_at >= $", filter.since() == null ? null
                : filter.since().atOffset(ZoneOffset.UTC));
        condition(where, values, "last_failed_at < $", filter.until() == null ? null
                : filter.until().atOffset(ZoneOffset.UTC));
        values.add(filter.limit());
        String sql = "SELECT " + COLUMNS + " FROM dead_letter" + (where.isEmpty() ? "" : " WHERE "
                + String.join(" AND ", where)) + " ORDER BY last_failed_at DESC, letter_id LIMIT $" + values.size();
        return pool.preparedQuery(sql).execute(Tuple.tuple(values)).map(rows -> {
            List<Letter> letters = new ArrayList<>();
            rows.forEach(row -> letters.add(letter(row)));
            return letters;
        });
    }

    public Uni<Optional<Letter>> letter(String tenant, String letterId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM dead_letter WHERE tenant_id = $1 AND letter_id = $2")
                .execute(Tuple.of(tenant, letterId))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(letter(rows.iterator().next()))
                        : Optional.empty());
    }

    /** Records a replay (state {@code replayed}) and who made it; emits the replay's number. */
    public Uni<Integer> replayed(String tenant, String letterId, String actor, String detail) {
        return pool.withTransaction(connection -> connection.preparedQuery("UPDATE dead_letter SET state ="
                + " 'replayed', replays = replays + 1 WHERE tenant_id = $1 AND letter_id = $2 RETURNING replays")
                .execute(Tuple.of(tenant, letterId))
                .call(() -> noted(connection, tenant, letterId, actor, "replayed", detail))
                .map(rows -> rows.iterator().next().getInteger(0)));
    }

    /** Discards a letter with the operator's reason: it is not replayed by filters any more. */
    public Uni<Void> discarded(String tenant, String letterId, String actor, String reason) {
        return pool.withTransaction(connection -> connection.preparedQuery("UPDATE dead_letter SET state ="
                + " 'discarded', discard_reason = $3 WHERE tenant_id = $1 AND letter_id = $2")
                .execute(Tuple.of(tenant, letterId, reason))
                .call(() -> noted(connection, tenant, letterId, actor, "discarded", reason))
                .replaceWithVoid());
    }

    /** A letter a later sync of its record resolved. */
    public record Resolved(String letterId, String reasonCode, Instant lastFailedAt, String originalKey,
            String opportunityId) {
    }

    /**
     * The open and replayed letters of a record that carried a change the given way become {@code resolved}: the
     * record has since synced that way. Emits them (none when the record had no such letter).
     *
     * @param records         the record's keys: referral id and opportunity Id, as known
     * @param toPartnerCenter the direction that synced
     * @param detail          what synced, for the letters' history
     */
    public Uni<List<Resolved>> resolve(String tenant, Collection<String> records, boolean toPartnerCenter,
            String detail) {
        String[] keys = records.stream().filter(r -> r != null && !r.isBlank()).distinct().toArray(String[]::new);
        if (keys.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        // most syncs concern records without letters: one plain query finds that out before any transaction
        return pool.preparedQuery("SELECT 1 FROM dead_letter WHERE tenant_id = $1 AND state IN ('open', 'replayed')"
                + " AND (original_key = ANY($2) OR opportunity_id = ANY($2)) LIMIT 1").execute(Tuple.of(tenant, keys))
                .chain(any -> !any.iterator().hasNext() ? Uni.createFrom().item(List.<Resolved>of())
                        : resolveLocked(tenant, keys, toPartnerCenter, detail));
    }

    private Uni<List<Resolved>> resolveLocked(String tenant, String[] keys, boolean toPartnerCenter, String detail) {
        return pool.withTransaction(connection -> connection.preparedQuery("SELECT letter_id, reason_code,"
                + " last_failed_at, original_key, opportunity_id, original_type, original_topic FROM dead_letter WHERE tenant_id = $1"
                + " AND state IN ('open', 'replayed') AND (original_key = ANY($2) OR opportunity_id = ANY($2))"
                + " FOR UPDATE").execute(Tuple.of(tenant, keys)).chain(rows -> {
                    List<Resolved> resolved = new ArrayList<>();
                    for (Row row : rows) {
                        if (LetterSubject.towardsPartnerCenter(row.getString("original_type"),
                                row.getString("original_topic")) == toPartnerCenter) {
                            resolved.add(new Resolved(row.getString("letter_id"), row.getString("reason_code"),
                                    row.getOffsetDateTime("last_failed_at").toInstant(),
                                    row.getString("original_key"), row.getString("opportunity_id")));
                        }
                    }
                    if (resolved.isEmpty()) {
                        return Uni.createFrom().item(resolved);
                    }
                    String[] ids = resolved.stream().map(Resolved::letterId).toArray(String[]::new);
                    return connection.preparedQuery("UPDATE dead_letter SET state = 'resolved' WHERE tenant_id = $1"
                            + " AND letter_id = ANY($2)").execute(Tuple.of(tenant, ids))
                            .chain(() -> connection.preparedQuery("INSERT INTO dead_letter_history (tenant_id,"
                                    + " letter_id, actor, action, detail) SELECT $1, unnest($2::text[]), 'sync',"
                                    + " 'resolved', $3").execute(Tuple.of(tenant, ids, detail)))
                            .replaceWith(resolved);
                }));
    }

    /** One line of a letter's history, in the transaction that changed it. */
    private static Uni<RowSet<Row>> noted(SqlConnection connection, String tenant, String letterId, String actor,
            String action, String detail) {
        return connection.preparedQuery("INSERT INTO dead_letter_history (tenant_id, letter_id, actor, action, detail)"
                + " VALUES ($1, $2, $3, $4, $5)").execute(Tuple.of(tenant, letterId, actor, action, detail));
    }

    /** What operators did with a letter, oldest first: {@code {at, actor, action, detail}}. */
    public Uni<List<Map<String, Object>>> history(String tenant, String letterId) {
        return pool.preparedQuery("SELECT at, actor, action, detail FROM dead_letter_history WHERE tenant_id = $1"
                + " AND letter_id = $2 ORDER BY at").execute(Tuple.of(tenant, letterId)).map(rows -> {
                    List<Map<String, Object>> entries = new ArrayList<>();
                    for (Row row : rows) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("at", row.getOffsetDateTime("at").toInstant().toString());
                        entry.put("actor", row.getString("actor"));
                        entry.put("action", row.getString("action"));
                        entry.put("detail", row.getString("detail"));
                        entries.add(entry);
                    }
                    return entries;
                });
    }

    private static void condition(List<String> where, List<Object> values, String sql, Object value) {
        if (value != null) {
            values.add(value);
            where.add(sql + values.size());
        }
    }

    private static Letter letter(Row row) {
        Map<String, String> headers = new LinkedHashMap<>();
        JsonObject stored = row.getJsonObject("original_headers");
        if (stored != null) {
            stored.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return new Letter(row.getString("tenant_id"), row.getString("letter_id"), row.getString("service"),
                row.getString("reason_code"), row.getString("reason"), row.getInteger("attempts"),
                row.getInteger("failures"), row.getString("state"), row.getString("original_topic"),
                row.getString("original_key"), row.getString("original_type"), row.getString("original_payload"),
                row.getString("payload_encoding"), headers, row.getOffsetDateTime("first_failed_at").toInstant(),
                row.getOffsetDateTime("last_failed_at").toInstant(), row.getString("opportunity_id"),
                row.getInteger("replays"), row.getString("discard_reason"));
    }

    private static JsonObject headers(DeadLetter letter) {
        JsonObject headers = new JsonObject();
        letter.originalHeaders().forEach(headers::put);
        return headers;
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
