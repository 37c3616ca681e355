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
import java.util.List;
import java.util.Map;

/** The writer's sync state and account links in PostgreSQL, always by tenant. */
@ApplicationScoped
public class SyncStates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, SyncState.Child>>> CHILDREN = new TypeReference<>() {
    };

    private final Pool pool;

    public SyncStates(Pool pool) {
        this.pool = pool;
    }

    public Uni<Map<String, SyncState>> load(TenantId tenant, Collection<String> referralIds) {
        if (referralIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                SELECT referral_id, source_updated_at, source_version, fingerprint, opportunity_id, account_id,
                       children::text AS children
                  FROM salesforce_writer.sync_state WHERE tenant_id = $1 AND referral_id = ANY($2)""")
                .execute(Tuple.of(tenant.value(), referralIds.toArray(String[]::new))).map(rows -> {
                    Map<String, SyncState> states = new HashMap<>();
                    for (Row row : rows) {
                        states.put(row.getString("referral_id"), new SyncState(row.getString("referral_id"),
                                row.getOffsetDateTime("source_updated_at").toInstant(),
                                row.getString("source_version"), row.getString("fingerprint"),
                                row.getString("opportunity_id"), row.getString("account_id"),
                                children(row.getString("children"))));
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
                    s.accountId() == null ? "" : s.accountId(), json(s.children()), now.atOffset(ZoneOffset.UTC))));
        }
        return pool.withTransaction(connection -> connection.preparedQuery("""
                INSERT INTO salesforce_writer.sync_state (tenant_id, referral_id, source_updated_at, source_version,
                    fingerprint, opportunity_id, account_id, children, applied_at)
                VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, NULLIF($7, ''), CAST($8 AS text)::jsonb, $9)
                ON CONFLICT (tenant_id, referral_id) DO UPDATE SET source_updated_at = EXCLUDED.source_updated_at,
                    source_version = EXCLUDED.source_version, fingerprint = EXCLUDED.fingerprint,
                    opportunity_id = EXCLUDED.opportunity_id, account_id = EXCLUDED.account_id,
                    children = EXCLUDED.children, applied_at = EXCLUDED.applied_at
                WHERE sync_state.source_updated_at <= EXCLUDED.source_updated_at""").executeBatch(rows))
                .replaceWithVoid();
    }

    /** Account ids by match key. */
    public Uni<Map<String, String>> accounts(TenantId tenant, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT match_key, account_id FROM salesforce_writer.account_link"
                + " WHERE tenant_id = $1 AND match_key = ANY($2)")
                .execute(Tuple.of(tenant.value(), keys.toArray(String[]::new))).map(rows -> {
                    Map<String, String> links = new HashMap<>();
                    rows.forEach(r -> links.put(r.getString("match_key"), r.getString("account_id")));
                    return links;
                });
    }

    /** Records account links; an existing link for a key is kept (the first writer wins). */
    public Uni<Void> link(TenantId tenant, Map<String, String> accountsByKey) {
        if (accountsByKey.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        accountsByKey.forEach((key, id) -> rows.add(Tuple.of(tenant.value(), key, id,
                Instant.now().atOffset(ZoneOffset.UTC))));
        return pool.preparedQuery("INSERT INTO salesforce_writer.account_link (tenant_id, match_key, account_id,"
                + " linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, match_key) DO NOTHING")
                .executeBatch(rows).replaceWithVoid();
    }

    private static Map<String, Map<String, SyncState.Child>> children(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, CHILDREN);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable sync state children", e);
        }
    }

    private static String json(Map<String, Map<String, SyncState.Child>> children) {
        try {
            return JSON.writeValueAsString(children);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
