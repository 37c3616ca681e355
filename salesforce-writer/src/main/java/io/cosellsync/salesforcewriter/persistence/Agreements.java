package io.cosellsync.salesforcewriter.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.salesforcewriter.config.SalesforceConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What each referral and its opportunity last agreed on, as the partnercenter-writer of the same release recorded
 * it ({@code referral_link.base} in its schema, {@code salesforce.agreement-schema}): the values both sides held
 * once the way out had applied a Salesforce change, and the referral version its last write made. Read only. An
 * opportunity still holding the agreed value of a field has no save of it that Partner Center has not had, so
 * Partner Center's change of that field is the later one; a referral change of the version our write made is its
 * echo, whose values came from Salesforce (ADR 0004). Before the partnercenter-writer's first start the table does
 * not exist: no agreements yet.
 */
@ApplicationScoped
public class Agreements {

    private static final Logger LOG = Logger.getLogger(Agreements.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNDEFINED_TABLE = "42P01";
    /** Before the partnercenter-writer's migration V4 (the same release starting up). */
    private static final String UNDEFINED_COLUMN = "42703";

    private static final String OPPORTUNITY = "Opportunity.";

    private final Pool pool;
    private final SalesforceConfig config;
    private final String schema;

    public Agreements(Pool pool, SalesforceConfig config) {
        this.pool = pool;
        this.config = config;
        this.schema = config.agreementSchema();
    }

    /**
     * One referral's agreement.
     *
     * @param fields      Opportunity field (this org's API name) → the value agreed (as JSON)
     * @param writtenETag the referral version the partnercenter-writer's last write made, or null
     * @param recentETags the versions its recent writes made (the last one among them), newest first
     * @param agreedAt    when the referral held the agreement (Partner Center's clock), or null
     * @param changedAt   when Partner Center itself last changed the referral before that write (our PATCH moves
     *                    {@code updatedDateTime} without changing what it did not send), or null when not known
     */
    public record Agreement(Map<String, JsonNode> fields, String writtenETag, List<String> recentETags,
            Instant agreedAt, Instant changedAt) {
    }

    /** By referral id. */
    public Uni<Map<String, Agreement>> load(TenantId tenant, Collection<String> referralIds) {
        return load(tenant, "referral_id", referralIds);
    }

    /** By the opportunity's record Id. */
    public Uni<Map<String, Agreement>> ofOpportunities(TenantId tenant, Collection<String> opportunityIds) {
        return load(tenant, "opportunity_id", opportunityIds);
    }

    private Uni<Map<String, Agreement>> load(TenantId tenant, String key, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // changed_at through to_jsonb: null, not an error, while the partnercenter-writer has not added it yet
        return pool.preparedQuery("SELECT " + key + " AS id, base::text AS base, written_etag, written_etags,"
                + " agreed_at, to_jsonb(l) ->> 'changed_at' AS changed_at FROM " + schema + ".referral_link l"
                + " WHERE tenant_id = $1 AND " + key + " = ANY($2)")
                .execute(Tuple.of(tenant.value(), ids.toArray(String[]::new))).map(rows -> {
                    TenantMapping mapping = SalesforceConfig.mapping(config, tenant.value());
                    Map<String, Agreement> agreed = new HashMap<>();
                    for (Row row : rows) {
                        Map<String, JsonNode> fields = new HashMap<>();
                        // the base names fields by their standard qualified names (Opportunity.Amount)
                        base(row.getString("base")).fields().forEachRemaining(e -> {
                            if (e.getKey().startsWith(OPPORTUNITY)) {
                                fields.put(mapping.fieldName(e.getKey()), e.getValue());
                            }
                        });
                        OffsetDateTime at = row.getOffsetDateTime("agreed_at");
                        String[] recent = row.getArrayOfStrings("written_etags");
                        String changed = row.getString("changed_at");
                        agreed.put(row.getString("id"), new Agreement(fields, row.getString("written_etag"),
                                recent == null ? List.of() : List.of(recent), at == null ? null : at.toInstant(),
                                changed == null ? null : OffsetDateTime.parse(changed).toInstant()));
                    }
                    return agreed;
                }).onFailure(e -> e instanceof PgException pg && (UNDEFINED_TABLE.equals(pg.getSqlState())
                        || UNDEFINED_COLUMN.equals(pg.getSqlState())))
                .recoverWithItem(e -> {
                    LOG.debugf("no agreements yet (%s)", e.getMessage());
                    return Map.of();
                });
    }

    private static JsonNode base(String text) {
        try {
            return text == null ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("referral_link.base is not JSON", e);
        }
    }
}
