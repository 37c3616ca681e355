package io.cosellsync.mapper.domain;

import io.cosellsync.events.command.AccountUpsert;
import io.cosellsync.events.command.ContactUpsert;
import io.cosellsync.events.command.SolutionUpsert;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.partnercenter.Address;
import io.cosellsync.events.partnercenter.Customer;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.events.partnercenter.Member;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Partner Center referral → Salesforce opportunity upsert, with the product's default API names (product-behaviour
 * §2). Provisional: issue 8 replaces the fixed names with the per-tenant field map, stage map and ownership rules;
 * until then no StageName is set, because the stage names are the tenant's own.
 */
public final class ReferralToOpportunity {

    /** Salesforce's limit on Opportunity.Name. */
    static final int NAME_LIMIT = 120;

    private ReferralToOpportunity() {
    }

    public static UpsertOpportunityCommand map(ReferralSnapshot referral) {
        Map<String, Object> opp = new LinkedHashMap<>();
        opp.put("Name", truncate(referral.name(), NAME_LIMIT));
        Details details = referral.details();
        if (details != null) {
            opp.put("Amount", details.dealValue());
            opp.put("CurrencyIsoCode", details.currency());
            // Partner Center's closing date is a UTC midnight; Salesforce's CloseDate is a date
            opp.put("CloseDate", details.closingDateTime() == null ? null
                    : details.closingDateTime().atOffset(ZoneOffset.UTC).toLocalDate().toString());
            opp.put("Description", details.notes());
        }
        opp.put("Sync_with_Partner_Center__c", true);
        opp.put("Referral_Link__c", referral.referralLink());
        opp.put("Microsoft_CRM_Identifier__c", referral.microsoftCrmId());

        Customer customer = referral.customer();
        return new UpsertOpportunityCommand(referral.referralId(), opp, account(customer), contacts(customer),
                details == null ? List.of() : details.solutions().stream()
                        .map(s -> new SolutionUpsert(s.id(), s.name())).toList());
    }

    private static AccountUpsert account(Customer customer) {
        if (customer == null || customer.name() == null || customer.name().isBlank()) {
            return null;
        }
        Address a = customer.address();
        Map<String, Object> fields = new LinkedHashMap<>();
        if (a != null) {
            fields.put("BillingStreet", a.addressLine2() == null ? a.addressLine1()
                    : a.addressLine1() + "\n" + a.addressLine2());
            fields.put("BillingCity", a.city());
            fields.put("BillingState", a.state() != null ? a.state() : a.region());
            fields.put("BillingPostalCode", a.postalCode());
            fields.put("BillingCountry", a.country());
        }
        return new AccountUpsert(customer.name(), a == null ? null : a.country(), fields);
    }

    private static List<ContactUpsert> contacts(Customer customer) {
        if (customer == null) {
            return List.of();
        }
        List<Member> members = customer.contacts();
        return java.util.stream.IntStream.range(0, members.size()).mapToObj(i -> {
            Member m = members.get(i);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("FirstName", m.firstName());
            // LastName is required in Salesforce; Partner Center contacts may lack it
            fields.put("LastName", m.lastName() == null || m.lastName().isBlank() ? "(unknown)" : m.lastName());
            fields.put("Phone", m.phoneNumber());
            fields.put("Title", m.title());
            return new ContactUpsert(m.email(), null, i == 0, fields);
        }).toList();
    }

    private static String truncate(String value, int limit) {
        if (value == null || value.codePointCount(0, value.length()) <= limit) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, limit));
    }
}
