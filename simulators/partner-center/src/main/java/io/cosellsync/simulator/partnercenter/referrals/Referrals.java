package io.cosellsync.simulator.partnercenter.referrals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/** Creating referrals with the server-owned fields filled, for the API and for the control API alike. */
@ApplicationScoped
public class Referrals {

    /** Microsoft's organisation id, as it appears on referrals Microsoft owns or sends. */
    public static final String MICROSOFT = "msft";
    /** Inbound referrals expire after this long without an answer. */
    public static final Duration EXPIRY = Duration.ofDays(14);

    private final ReferralStore store;
    private final SimulatorClock clock;

    public Referrals(ReferralStore store, SimulatorClock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A referral the partner creates: Outgoing and Active/Accepted from the start. */
    public ObjectNode createOwn(Organization org, ObjectNode referral, String baseUri) {
        String now = ReferralWire.timestamp(clock.now());
        if (targetsMicrosoft(referral)) {
            // second step of sharing: the referral "for Microsoft" in an engagement the partner already has
            String engagementId = referral.path("engagementId").asText(null);
            boolean known = engagementId != null && !store.matching(org.tenant(),
                    r -> engagementId.equals(r.path("engagementId").asText())).isEmpty();
            if (!known) {
                throw ApiException.badRequest("'engagementId' must name an engagement of yours to share it with"
                        + " Microsoft");
            }
            return insert(org.tenant(), referral, MICROSOFT, "Microsoft", null, "Incoming", "New", "Pending", now,
                    null, baseUri);
        }
        return insert(org.tenant(), referral, org.organizationId(), org.organizationName(), org.mpnId(), "Outgoing",
                "Active", "Accepted", now, now, baseUri);
    }

    /** A referral a Microsoft seller shares with the partner: Incoming, New/Pending, expiring in 14 days. */
    public ObjectNode shareFromMicrosoft(Organization org, ObjectNode referral, String baseUri) {
        ObjectNode invite = (ObjectNode) referral.get("inviteContext");
        ObjectNode invitedBy = (ObjectNode) invite.get("invitedBy");
        invitedBy.put("organizationId", MICROSOFT);
        invitedBy.put("organizationName", "Microsoft");
        if (referral.path("qualification").asText().equals("None")) {
            referral.put("qualification", "SalesQualified");
        }
        referral.put("expirationDateTime", ReferralWire.timestamp(clock.now().plus(EXPIRY)));
        return insert(org.tenant(), referral, org.organizationId(), org.organizationName(), org.mpnId(), "Incoming",
                "New", "Pending", ReferralWire.timestamp(clock.now()), null, baseUri);
    }

    private ObjectNode insert(String tenant, ObjectNode referral, String organizationId, String organizationName,
            String mpnId, String direction, String status, String substatus, String now, String acceptedAt,
            String baseUri) {
        String id = UUID.randomUUID().toString();
        String engagementId = referral.path("engagementId").isTextual() ? referral.get("engagementId").asText()
                : UUID.randomUUID().toString();
        referral.put("id", id);
        referral.put("engagementId", engagementId);
        referral.put("organizationId", organizationId);
        referral.put("organizationName", organizationName);
        referral.put("mpnId", mpnId);
        referral.put("createdDateTime", now);
        referral.put("updatedDateTime", now);
        referral.put("acceptedDateTime", acceptedAt);
        referral.put("direction", direction);
        referral.put("status", status);
        referral.put("substatus", substatus);
        ObjectNode links = (ObjectNode) referral.get("links");
        String collection = baseUri + "v1.0/engagements/referrals";
        ((ObjectNode) links.get("self")).put("uri", collection + "/" + id);
        ((ObjectNode) links.get("relatedReferrals")).put("uri", collection + "?$filter=engagementId eq "
                + engagementId);
        return store.insert(tenant, referral);
    }

    private static boolean targetsMicrosoft(ObjectNode referral) {
        for (JsonNode target : referral.path("target")) {
            if ("BusinessProfileLocation".equalsIgnoreCase(target.path("type").asText())
                    && MICROSOFT.equalsIgnoreCase(target.path("id").asText())) {
                return true;
            }
        }
        return false;
    }
}
