package io.cosellsync.mapper.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.EventType;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.testing.Samples;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferralToOpportunityTest {

    private final ReferralSnapshot referral = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);

    @Test
    void theDealFieldsLandOnTheOpportunityKeyedByTheReferralId() {
        UpsertOpportunityCommand command = ReferralToOpportunity.map(referral);

        assertEquals(referral.referralId(), command.referralId());
        assertEquals("Fabrikam – data platform modernisation", command.opportunityFields().get("Name"));
        assertEquals(new BigDecimal("120000"), command.opportunityFields().get("Amount"));
        assertEquals("USD", command.opportunityFields().get("CurrencyIsoCode"));
        assertEquals("2026-03-31", command.opportunityFields().get("CloseDate"));
        assertEquals("Needs help with a PoC on Azure.", command.opportunityFields().get("Description"));
        assertEquals(true, command.opportunityFields().get("Sync_with_Partner_Center__c"));
        assertEquals(referral.referralLink(), command.opportunityFields().get("Referral_Link__c"));
    }

    @Test
    void theCustomerBecomesAnAccountMatchedByNameAndCountryWithItsContacts() {
        UpsertOpportunityCommand command = ReferralToOpportunity.map(referral);

        assertEquals("Fabrikam Ltd", command.account().name());
        assertEquals("US", command.account().countryCode());
        assertEquals("Seattle", command.account().fields().get("BillingCity"));
        assertEquals(1, command.contacts().size());
        assertEquals("ana.diaz@fabrikam.example", command.contacts().get(0).email());
        assertTrue(command.contacts().get(0).primary());
        assertEquals("SOL-15974-MQF", command.solutions().get(0).solutionId());
    }

    @Test
    void aCloseDateJustBeforeMidnightUtcKeepsItsUtcDay() {
        ReferralSnapshot late = withDetails(new Details(null, null, "EUR",
                Instant.parse("2026-06-30T23:59:59Z"), List.of(), null));
        assertEquals("2026-06-30", ReferralToOpportunity.map(late).opportunityFields().get("CloseDate"));
    }

    @Test
    void aLongNameIsCutAtSalesforcesLimitWithoutSplittingACharacter() {
        String name = "😀".repeat(119) + "abc";
        ReferralSnapshot longName = new ReferralSnapshot(referral.referralId(), null, name, null, null,
                referral.status(), referral.substatus(), null, referral.type(), null, referral.direction(), null,
                referral.updatedDateTime(), null, null, null, referral.eTag(), null, null, null, null, null, null,
                null);
        String mapped = (String) ReferralToOpportunity.map(longName).opportunityFields().get("Name");
        assertEquals(ReferralToOpportunity.NAME_LIMIT, mapped.codePointCount(0, mapped.length()));
        assertTrue(mapped.endsWith("😀a"));
        assertNull(ReferralToOpportunity.map(longName).account());
    }

    private ReferralSnapshot withDetails(Details details) {
        return new ReferralSnapshot(referral.referralId(), referral.engagementId(), referral.name(), null, null,
                referral.status(), referral.substatus(), null, referral.type(), null, referral.direction(), null,
                referral.updatedDateTime(), null, null, null, referral.eTag(), referral.customer(), referral.consent(),
                details, referral.team(), null, null, referral.referralLink());
    }
}
