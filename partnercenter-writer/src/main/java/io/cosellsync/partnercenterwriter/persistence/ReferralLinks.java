package io.cosellsync.partnercenterwriter.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * {@code referral_link}: which referral belongs to which opportunity, the intent recorded before
 * a referral is created, and the values both sides last agreed on. Each statement commits on its own: the intent
 * must be durable before the POST it guards.
 */
@ApplicationScoped
public class ReferralLinks {

    /** How many of the referral versions our recent PATCHes made are kept, so their late echoes are known. */
    static final int RECENT_WRITES = 16;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * A row; {@code referralId} is null while only the intent to create is recorded.
     *
     * @param writtenETag the referral version our last PATCH made, or null
     * @param changedAt   when Partner Center itself last changed the referral, as of that PATCH, or null
     */
    public record Link(String opportunityId, String referralId, String engagementId, Instant intentAt,
            Instant sharedAt, Map<String, Object> base, String writtenETag, Instant changedAt) {

        /**
         * When Partner Center last changed the values of the referral version given: Partner Center's own last
         * change where that version is the one our last PATCH made, else its {@code updatedDateTime}.
         */
        public Instant partnerCenterChangedAt(String eTag, Instant updatedAt) {
            return changedAt != null && writtenETag != null && writtenETag.equals(eTag) ? changedAt : updatedAt;
        }
    }

    private final Pool pool;

    public ReferralLinks(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Link>> find(TenantId tenant, String opportunityId) {
        return pool.preparedQuery("SELECT * FROM referral_link WHERE tenant_id = $1"
                + " AND opportunity_id = $2").execute(Tuple.of(tenant.value(), opportunityId))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(link(rows.iterator().next())) : Optional.empty());
    }

    /** The link of a referral (one referral belongs to one opportunity). */
    public Uni<Optional<Link>> findByReferral(TenantId tenant, String referralId) {
        return pool.preparedQuery("SELECT * FROM referral_link WHERE tenant_id = $1"
                + " AND referral_id = $2").execute(Tuple.of(tenant.value(), referralId))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(link(rows.iterator().next())) : Optional.empty());
    }

    /**
     * Records the intent to create the opportunity's referral (by the database's clock) unless one is recorded
     * already; the first intent is kept, since a referral may have been created since then.
     */
    public Uni<Link> intend(TenantId tenant, String opportunityId) {
        return pool.preparedQuery("""
                INSERT INTO referral_link (tenant_id, opportunity_id, intent_at)
                VALUES ($1, $2, clock_timestamp()) ON CONFLICT (tenant_id, opportunity_id) DO NOTHING""")
                .execute(Tuple.of(tenant.value(), opportunityId))
                .chain(() -> find(tenant, opportunityId)).map(Optional::orElseThrow);
    }

    /** The referral now exists (created, or found after a crash). */
    public Uni<Void> created(TenantId tenant, String opportunityId, String referralId, String engagementId,
            Map<String, Object> base) {
        return pool.preparedQuery("""
                INSERT INTO referral_link
                    (tenant_id, opportunity_id, referral_id, engagement_id, created_at, base)
                VALUES ($1, $2, $3, $4, now(), $5)
                ON CONFLICT (tenant_id, opportunity_id) DO UPDATE SET referral_id = EXCLUDED.referral_id,
                    engagement_id = EXCLUDED.engagement_id, created_at = now(), base = EXCLUDED.base,
                    updated_at = now()""")
                .execute(Tuple.of(tenant.value(), opportunityId, referralId, engagementId, json(base)))
                .replaceWithVoid();
    }

    /** Microsoft's side of the engagement exists. */
    public Uni<Void> shared(TenantId tenant, String opportunityId) {
        return pool.preparedQuery("UPDATE referral_link SET shared_at = now(), updated_at = now()"
                + " WHERE tenant_id = $1 AND opportunity_id = $2").execute(Tuple.of(tenant.value(), opportunityId))
                .replaceWithVoid();
    }

    /**
     * The values both sides agree on now, for a referral this writer may not have created.
     *
     * @param writtenETag the referral's version this writer's requests made, or null when it sent none (the last one
     *                    made is kept, with the {@value #RECENT_WRITES} last in {@code written_etags}): a referral
     *                    change of such a version is the echo of our own write
     * @param agreedAt    the {@code updatedDateTime} of the referral version that holds the agreement (Partner
     *                    Center's clock): a referral change after it is news to the agreement
     * @param changedAt   when Partner Center itself last changed the referral before our requests
     */
    public Uni<Void> agreed(TenantId tenant, String opportunityId, String referralId, Map<String, Object> base,
            String writtenETag, Instant agreedAt, Instant changedAt) {
        return pool.preparedQuery("""
                INSERT INTO referral_link (tenant_id, opportunity_id, referral_id, base, written_etag, written_etags,
                    agreed_at, changed_at)
                VALUES ($1, $2, $3, $4, $5, CASE WHEN $5::text IS NULL THEN '{}'::text[] ELSE ARRAY[$5::text] END, $6,
                    $7)
                ON CONFLICT (tenant_id, opportunity_id) DO UPDATE SET base = EXCLUDED.base,
                    written_etag = COALESCE(EXCLUDED.written_etag, referral_link.written_etag),
                    written_etags = CASE WHEN EXCLUDED.written_etag IS NULL THEN referral_link.written_etags
                        ELSE (ARRAY[EXCLUDED.written_etag] || referral_link.written_etags)[1:%d] END,
                    agreed_at = EXCLUDED.agreed_at, changed_at = EXCLUDED.changed_at,
                    updated_at = now()""".formatted(RECENT_WRITES))
                .execute(Tuple.from(Arrays.asList(tenant.value(), opportunityId, referralId, json(base), writtenETag,
                        offset(agreedAt), offset(changedAt))))
                .replaceWithVoid();
    }

    private static OffsetDateTime offset(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static JsonObject json(Map<String, Object> base) {
        try {
            return new JsonObject(JSON.writeValueAsString(base));
        } catch (Exception e) {
            throw new IllegalStateException("cannot store the agreed values", e);
        }
    }

    private static Link link(Row row) {
        Map<String, Object> base;
        try {
            Object stored = row.getValue("base");
            base = JSON.readValue(String.valueOf(stored), new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("unreadable agreed values of opportunity " + row.getString(
                    "opportunity_id"), e);
        }
        return new Link(row.getString("opportunity_id"), row.getString("referral_id"), row.getString(
                "engagement_id"), instant(row, "intent_at"), instant(row, "shared_at"), base,
                row.getString("written_etag"), instant(row, "changed_at"));
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant();
    }
}
