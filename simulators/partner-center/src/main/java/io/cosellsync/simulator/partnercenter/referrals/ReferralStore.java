package io.cosellsync.simulator.partnercenter.referrals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Referrals per tenant, in memory. Every write is an atomic compare-and-set on the referral's eTag, so of two
 * writers holding the same eTag exactly one wins and the other gets 412.
 */
@ApplicationScoped
public class ReferralStore {

    private final Map<String, Map<String, ObjectNode>> byTenant = new ConcurrentHashMap<>();
    /** No New referral expires before this (epoch milliseconds): reads before it need no sweep. */
    private final AtomicLong nextExpiry = new AtomicLong();
    private final jakarta.enterprise.event.Event<ReferralChanged> changes;
    private final SimulatorClock clock;

    public ReferralStore(jakarta.enterprise.event.Event<ReferralChanged> changes, SimulatorClock clock) {
        this.changes = changes;
        this.clock = clock;
    }

    private void changed(String tenant, ObjectNode referral, boolean created) {
        changes.fire(new ReferralChanged(tenant, referral.get("id").asText(), created,
                referral.path("organizationId").asText()));
    }

    public static String newETag() {
        return "\"" + UUID.randomUUID() + "\"";
    }

    public ObjectNode insert(String tenant, ObjectNode referral) {
        referral.put("eTag", newETag());
        tenant(tenant).put(referral.get("id").asText(), referral);
        expiresAt(referral).ifPresent(this::expiresNoLaterThan);
        changed(tenant, referral, true);
        return referral.deepCopy();
    }

    public Optional<ObjectNode> find(String tenant, String id) {
        return Optional.ofNullable(tenant(tenant).get(id)).map(ObjectNode::deepCopy);
    }

    public List<ObjectNode> all(String tenant) {
        return matching(tenant, r -> true);
    }

    /**
     * Copies of the tenant's referrals that pass the test, which sees the stored ones (never changed in place: an
     * update stores a new node). Only matches are copied, so a filtered list over thousands stays cheap.
     */
    public List<ObjectNode> matching(String tenant, java.util.function.Predicate<ObjectNode> test) {
        return tenant(tenant).values().stream().filter(test).map(ObjectNode::deepCopy).toList();
    }

    /**
     * Applies {@code change} to a copy of the referral if {@code ifMatch} (when given) matches its eTag, stores the
     * result with a new eTag and {@code updatedDateTime} and returns it. The check and the write happen under the map's per-key lock.
     */
    public ObjectNode update(String tenant, String id, String ifMatch, UnaryOperator<ObjectNode> change) {
        ObjectNode[] result = new ObjectNode[1];
        tenant(tenant).compute(id, (key, current) -> {
            if (current == null) {
                throw new ApiException(404, "NotFound", "referral '" + id + "' was not found");
            }
            if (ifMatch != null && !matches(ifMatch, current.get("eTag").asText())) {
                throw new ApiException(412, "PreconditionFailed",
                        "If-Match " + ifMatch + " does not match the referral's current eTag");
            }
            ObjectNode next = change.apply(current.deepCopy());
            next.put("eTag", newETag());
            next.put("updatedDateTime", ReferralWire.timestamp(clock.now()));
            result[0] = next;
            return next;
        });
        expiresAt(result[0]).ifPresent(this::expiresNoLaterThan);
        changed(tenant, result[0], false);
        return result[0].deepCopy();
    }

    public void reset() {
        byTenant.clear();
        nextExpiry.set(Long.MAX_VALUE);
    }

    /**
     * Closes as Expired every New referral of every tenant whose expiration time has passed; returns how many. Runs
     * before every read: it looks at the referrals only once the earliest expiration has come, and stores just the
     * expired ones.
     */
    public synchronized int expireDue(Instant now) {
        if (now.toEpochMilli() < nextExpiry.get()) {
            return 0;
        }
        // writes meanwhile lower it again; the sweep lowers it to the earliest expiration still ahead
        nextExpiry.set(Long.MAX_VALUE);
        List<ReferralChanged> fired = new ArrayList<>();
        byTenant.forEach((tenant, referrals) -> referrals.forEach((id, r) -> {
            Instant expires = expiresAt(r).orElse(null);
            if (expires == null) {
                return;
            }
            if (expires.isAfter(now)) {
                expiresNoLaterThan(expires);
                return;
            }
            ObjectNode next = r.deepCopy();
            String stamp = ReferralWire.timestamp(now);
            next.put("status", "Closed");
            next.put("substatus", "Expired");
            next.put("closedDateTime", stamp);
            next.put("updatedDateTime", stamp);
            next.put("eTag", newETag());
            // only if no write came in between (an accepted referral does not expire)
            if (referrals.replace(id, r, next)) {
                fired.add(new ReferralChanged(tenant, id, false, next.path("organizationId").asText()));
            }
        }));
        fired.forEach(changes::fire);
        return fired.size();
    }

    /** When a New referral expires; empty for any other or one without an expiration time. */
    private static Optional<Instant> expiresAt(JsonNode referral) {
        JsonNode expiration = referral.get("expirationDateTime");
        if (!"New".equals(referral.path("status").asText()) || expiration == null || expiration.isNull()) {
            return Optional.empty();
        }
        return Optional.of(OffsetDateTime.parse(expiration.asText()).toInstant());
    }

    private void expiresNoLaterThan(Instant expires) {
        nextExpiry.accumulateAndGet(expires.toEpochMilli(), Math::min);
    }

    /** Literal comparison; surrounding quotes are optional on either side and {@code *} matches anything. */
    static boolean matches(String ifMatch, String eTag) {
        String wanted = ifMatch.trim();
        return wanted.equals("*") || unquote(wanted).equals(unquote(eTag));
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private Map<String, ObjectNode> tenant(String tenant) {
        return byTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
    }
}
