package io.cosellsync.salesforcewriter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The writer's sync state and account links in PostgreSQL, always by tenant. */
@ApplicationScoped
public class SyncStates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, SyncState.Child>>> CHILDREN = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> VALUES = new TypeReference<>() {
    };

    private final Pool pool;
    /** Names this process on the account claims it holds. */
    private final String claimant = UUID.randomUUID().toString();

    public SyncStates(Pool pool) {
        this.pool = pool;
    }

    public Uni<Map<String, SyncState>> load(TenantId tenant, Collection<String> referralIds) {
        if (referralIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                SELECT referral_id, source_updated_at, source_version, fingerprint, opportunity_id, account_id,
                       children::text AS children, seen::text AS seen
                  FROM sync_state WHERE tenant_id = $1 AND referral_id = ANY($2)""")
                .execute(Tuple.of(tenant.value(), referralIds.toArray(String[]::new))).map(rows -> {
                    Map<String, SyncState> states = new HashMap<>();
                    for (Row row : rows) {
                        states.put(row.getString("referral_id"), new SyncState(row.getString("referral_id"),
                                row.getOffsetDateTime("source_updated_at").toInstant(),
                                row.getString("source_version"), row.getString("fingerprint"),
                                row.getString("opportunity_id"), row.getString("account_id"),
                                children(row.getString("children")), seen(row.getString("seen"))));
                    }
                    return states;
                });
    }

    /** Stores the states in one transaction; a state never replaces one of a later source version. */
    public Uni<Void> save(TenantId tenant, List<SyncState> states) {
        if (states.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (SyncState s : states) {
            rows.add(Tuple.tuple(List.of(tenant.value(), s.referralId(), s.sourceUpdatedAt().atOffset(ZoneOffset.UTC),
                    s.sourceVersion() == null ? "" : s.sourceVersion(), s.fingerprint(), s.opportunityId(),
                    s.accountId() == null ? "" : s.accountId(), json(s.children()), now.atOffset(ZoneOffset.UTC),
                    s.seen() == null ? "" : json(s.seen()))));
        }
        return pool.withTransaction(connection -> connection.preparedQuery("""
                INSERT INTO sync_state (tenant_id, referral_id, source_updated_at, source_version,
                    fingerprint, opportunity_id, account_id, children, applied_at, seen)
                VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, NULLIF($7, ''), CAST($8 AS text)::jsonb, $9,
                    CAST(NULLIF($10, '') AS text)::jsonb)
                ON CONFLICT (tenant_id, referral_id) DO UPDATE SET source_updated_at = EXCLUDED.source_updated_at,
                    source_version = EXCLUDED.source_version, fingerprint = EXCLUDED.fingerprint,
                    opportunity_id = EXCLUDED.opportunity_id, account_id = EXCLUDED.account_id,
                    children = EXCLUDED.children, applied_at = EXCLUDED.applied_at, seen = EXCLUDED.seen
                WHERE sync_state.source_updated_at <= EXCLUDED.source_updated_at""").executeBatch(rows))
                .replaceWithVoid();
    }

    /** Account ids by match key. */
    public Uni<Map<String, String>> accounts(TenantId tenant, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT match_key, account_id FROM account_link"
                + " WHERE tenant_id = $1 AND match_key = ANY($2) AND account_id IS NOT NULL")
                .execute(Tuple.of(tenant.value(), keys.toArray(String[]::new))).map(rows -> {
                    Map<String, String> links = new HashMap<>();
                    rows.forEach(r -> links.put(r.getString("match_key"), r.getString("account_id")));
                    return links;
                });
    }

    /** Records account links (filling claims); an existing link for a key is kept (the first writer wins). */
    public Uni<Void> link(TenantId tenant, Map<String, String> accountsByKey) {
        if (accountsByKey.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        accountsByKey.forEach((key, id) -> rows.add(Tuple.of(tenant.value(), key, id,
                Instant.now().atOffset(ZoneOffset.UTC))));
        return pool.preparedQuery("INSERT INTO account_link (tenant_id, match_key, account_id,"
                + " linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, match_key) DO UPDATE SET"
                + " account_id = EXCLUDED.account_id, linked_at = EXCLUDED.linked_at"
                + " WHERE account_link.account_id IS NULL")
                .executeBatch(rows).replaceWithVoid();
    }

    /**
     * Claims the creation of the accounts of these customers: returns the keys now claimed by this process — new
     * ones, its own earlier claims, and claims without an account older than {@code takeOverBefore}. A key claimed by
     * another writer (or already linked) is not returned.
     */
    public Uni<Set<String>> claim(TenantId tenant, Collection<String> keys, Instant takeOverBefore) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("INSERT INTO account_link (tenant_id, match_key, account_id,"
                + " linked_at, claimed_at, claimed_by) SELECT $1, k, NULL, $2, $2, $5 FROM unnest($3::text[]) AS k"
                + " ON CONFLICT (tenant_id, match_key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at,"
                + " claimed_by = EXCLUDED.claimed_by WHERE account_link.account_id IS NULL"
                + " AND (account_link.claimed_by = $5 OR account_link.claimed_at < $4) RETURNING match_key")
                .execute(Tuple.of(tenant.value(), Instant.now().atOffset(ZoneOffset.UTC),
                        keys.toArray(String[]::new), takeOverBefore.atOffset(ZoneOffset.UTC), claimant))
                .map(rows -> {
                    Set<String> claimed = new HashSet<>();
                    rows.forEach(r -> claimed.add(r.getString("match_key")));
                    return claimed;
                });
    }

    /** Gives up this process's claims that have no account (their creation failed), so no other writer waits. */
    public Uni<Void> release(TenantId tenant, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("DELETE FROM account_link WHERE tenant_id = $1"
                + " AND match_key = ANY($2) AND account_id IS NULL AND claimed_by = $3")
                .execute(Tuple.of(tenant.value(), keys.toArray(String[]::new), claimant)).replaceWithVoid();
    }

    private static Map<String, Map<String, SyncState.Child>> children(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, CHILDREN);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable sync state children", e);
        }
    }

    private static Map<String, Object> seen(String json) {
        try {
            return json == null ? null : JSON.readValue(json, VALUES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable sync state values", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
