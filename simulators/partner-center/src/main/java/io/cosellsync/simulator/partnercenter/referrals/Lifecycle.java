package io.cosellsync.simulator.partnercenter.referrals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Partner Center's status rules: which substatus goes with which status, which moves are allowed, and that a
 * closed referral is final for every field. Also stamps the server's accepted/closed times on a move (the store
 * stamps {@code updatedDateTime} on every write).
 */
final class Lifecycle {

    private static final Map<String, Set<String>> SUBSTATUS = Map.of(
            "New", Set.of("Pending", "Received"),
            "Active", Set.of("Accepted"),
            "Closed", Set.of("Won", "Lost", "Declined", "Expired"));

    private static final Map<String, Set<String>> MOVES = Map.of(
            "New", Set.of("New", "Active", "Closed"),
            "Active", Set.of("Active", "Closed"));

    /** Fields the server owns: a PATCH may not change them, a PUT cannot. */
    static final List<String> SERVER_OWNED = List.of("/id", "/engagementId", "/organizationId", "/organizationName",
            "/createdDateTime", "/updatedDateTime", "/expirationDateTime", "/acceptedDateTime", "/closedDateTime",
            "/eTag", "/direction", "/mpnId", "/links", "/trackingInfo", "/registrationStatus", "/quality", "/isSpam",
            "/dealSensitivity", "/createdVia", "/lastModifiedVia", "/lastRunId", "/referralSource", "/callToAction",
            "/referralProgram", "/customerProfile/isMatchingComplete");

    private Lifecycle() {
    }

    /** Checks a client's change from {@code before} to {@code after} and stamps transition times on {@code after}. */
    static void checkChange(ObjectNode before, ObjectNode after, Instant now) {
        String fromStatus = before.path("status").asText();
        if (fromStatus.equals("Closed")) {
            throw ValidationRule.CLOSED_IS_FINAL.violation(
                    "the referral is closed (" + before.path("substatus").asText() + ") and can no longer be changed");
        }
        String toStatus = after.path("status").asText();
        String toSubstatus = after.path("substatus").asText();
        checkPair(toStatus, toSubstatus);
        if (!MOVES.getOrDefault(fromStatus, Set.of()).contains(toStatus)) {
            throw ValidationRule.STATUS_TRANSITION.violation(
                    "'status' cannot move from " + fromStatus + " to " + toStatus);
        }
        if ((toSubstatus.equals("Won") || toSubstatus.equals("Lost")) && !fromStatus.equals("Active")) {
            throw ValidationRule.STATUS_TRANSITION.violation(
                    "'substatus' " + toSubstatus + " is only reachable from Active, not from " + fromStatus);
        }
        if (toSubstatus.equals("Declined") && !fromStatus.equals("New")) {
            throw ValidationRule.STATUS_TRANSITION.violation( "only a New referral can be declined");
        }
        if (toSubstatus.equals("Expired")) {
            throw ValidationRule.STATUS_TRANSITION.violation( "'substatus' Expired is set by Partner Center only");
        }
        if (before.path("consent").path("consentToShareReferralWithMicrosoftSellers").asBoolean()
                && !after.path("consent").path("consentToShareReferralWithMicrosoftSellers").asBoolean()) {
            throw ValidationRule.VISIBILITY_NOT_WITHDRAWN.violation(
                    "'consent.consentToShareReferralWithMicrosoftSellers' cannot be withdrawn once granted");
        }
        String stamp = ReferralWire.timestamp(now);
        if (toStatus.equals("Active") && !fromStatus.equals("Active")) {
            after.put("acceptedDateTime", stamp);
        }
        if (toStatus.equals("Closed")) {
            after.put("closedDateTime", stamp);
        }
    }

    static void checkPair(String status, String substatus) {
        Set<String> allowed = SUBSTATUS.get(status);
        if (allowed == null) {
            throw ValidationRule.STATUS_PAIR.violation("'status' " + status + " cannot be set by a client");
        }
        if (!allowed.contains(substatus)) {
            throw ValidationRule.STATUS_PAIR.violation("'substatus' " + substatus + " does not go with status " + status
                    + " (allowed: " + String.join(", ", allowed) + ")");
        }
    }
}
