package io.cosellsync.salesforcewriter.deadletters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.outcome.DeadLetter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditLineTest {

    private static final String OPPORTUNITY = "006gK000001AbCdQAK";

    private static DeadLetter letter(String service, String code, String reason, String type, String topic,
            String payload, String encoding) {
        return new DeadLetter(service, code, reason, Instant.parse("2026-12-06T10:00:00Z"), 1, topic, 0, 1, "k",
                "e-1", type, payload, encoding);
    }

    @Test
    void aPartnerCenterRefusalSaysWhatPartnerCenterSaidAndHowToGetThrough() {
        DeadLetter letter = letter("partnercenter-writer", "PARTNER_CENTER_REJECTED_400", "create referral: Partner"
                + " Center answered 400 {\"code\":\"InvalidCountryCode\"} — Partner Center said: {\"code\":"
                + "\"InvalidCountryCode\",\"message\":\"customerProfile.address.country 'Germany' is not a"
                + " two-letter ISO code.\"}", "io.cosellsync.partnercenter.referral"
                + ".create.v1", "cosell.partnercenter.referral.commands", "{\"opportunityId\":\"" + OPPORTUNITY
                + "\"}", "utf-8");
        LetterSubject subject = LetterSubject.of(letter);
        assertEquals(OPPORTUNITY, subject.opportunityId());
        assertTrue(subject.toPartnerCenter());
        assertEquals("✖ Salesforce → Partner Center: Partner Center refused the referral (400):"
                + " customerProfile.address.country 'Germany' is not a two-letter ISO code. Not retried by itself:"
                + " fix the account's Billing Country (a two-letter code such as DE) in Salesforce and save the"
                + " opportunity again, or ask an operator to replay its dead letter.",
                AuditLine.failed(letter, subject));
    }

    @Test
    void aSalesforceRefusalOfAReferralWaitsForAnOperator() {
        DeadLetter letter = letter("salesforce-writer", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Close Date must be"
                + " in the future\n(validation rule)", "io.cosellsync.salesforce.opportunity.upsert.v1",
                "cosell.salesforce.opportunity.commands", "{\"referralId\":\"r-1\",\"externalReferenceId\":\"x\"}",
                "utf-8");
        LetterSubject subject = LetterSubject.of(letter);
        assertFalse(subject.toPartnerCenter());
        assertEquals("r-1", subject.referralId());
        assertNull(subject.externalReferenceId(), "not an opportunity id");
        assertEquals("✖ Partner Center → Salesforce: Salesforce refused the change: Close Date must be in the future"
                + " (validation rule). Waits for an operator to replay its dead letter once the cause is fixed.",
                AuditLine.failed(letter, subject));
    }

    @Test
    void aRecordThatIsNoJsonNamesNothingAndALongReasonIsCut() {
        DeadLetter letter = letter("ingress-service", "MALFORMED_EVENT", "x".repeat(1000), null,
                "cosell.partnercenter.referral.notifications", "AAEC", "base64");
        LetterSubject subject = LetterSubject.of(letter);
        assertFalse(subject.namesAnything());
        assertEquals(AuditLine.REASON_LIMIT, AuditLine.reason(letter).length());
    }
}
