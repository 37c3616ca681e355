package io.cosellsync.salesforcewriter.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.outcome.DeadLetter;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * What a dead letter is about, read from the record it keeps: the opportunity (by record Id), the referral (by id),
 * or the opportunity a referral names ({@code externalReferenceId}), and which way the change was going. Any of the
 * ids may be missing; a record that is no JSON names none.
 *
 * @param opportunityId       a Salesforce Opportunity Id, or null
 * @param referralId          a Partner Center referral id, or null
 * @param externalReferenceId the opportunity Id a referral names, or null
 * @param toPartnerCenter     the change was going from Salesforce to Partner Center
 */
public record LetterSubject(String opportunityId, String referralId, String externalReferenceId,
        boolean toPartnerCenter) {

    /** A Salesforce record Id of an Opportunity: key prefix 006, 15 or 18 characters. */
    private static final Pattern OPPORTUNITY_ID = Pattern.compile("006[A-Za-z0-9]{12}([A-Za-z0-9]{3})?");

    public static LetterSubject of(DeadLetter letter) {
        boolean toPartnerCenter = towardsPartnerCenter(letter.originalType(), letter.originalTopic());
        JsonNode record = json(letter);
        String opportunity = firstOpportunityId(record.path("opportunityId"), record.path("recordId"),
                record.path("opportunity").path("id"), record.path("opportunity").path("Id"));
        String referral = text(record.path("referralId"));
        String external = opportunityId(text(record.path("externalReferenceId")));
        return new LetterSubject(opportunity, referral, external, toPartnerCenter);
    }

    /** Whether the letter names anything an opportunity can be found by. */
    public boolean namesAnything() {
        return opportunityId != null || referralId != null || externalReferenceId != null;
    }

    /** "Salesforce → Partner Center" or back, for the Audit line. */
    public String direction() {
        return toPartnerCenter ? "Salesforce → Partner Center" : "Partner Center → Salesforce";
    }

    /** Whether a record of this type, read from this topic, carried a change towards Partner Center. */
    static boolean towardsPartnerCenter(String type, String topic) {
        String what = (type == null ? "" : type) + " " + (topic == null ? "" : topic);
        return what.contains("partnercenter.referral.create") || what.contains("partnercenter.referral.update")
                || what.contains("partnercenter.referral.commands") || what.contains("salesforce.opportunity.snapshot")
                || what.contains("salesforce.change.notification");
    }

    private static JsonNode json(DeadLetter letter) {
        if (!"utf-8".equalsIgnoreCase(letter.payloadEncoding()) || letter.originalPayload() == null) {
            return EventCodec.mapper().missingNode();
        }
        try {
            JsonNode node = EventCodec.mapper().readTree(letter.originalPayload());
            return node == null ? EventCodec.mapper().missingNode() : node;
        } catch (IOException e) {
            return EventCodec.mapper().missingNode();
        }
    }

    private static String firstOpportunityId(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            String id = opportunityId(text(candidate));
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    private static String opportunityId(String value) {
        return value != null && OPPORTUNITY_ID.matcher(value).matches() ? value : null;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
