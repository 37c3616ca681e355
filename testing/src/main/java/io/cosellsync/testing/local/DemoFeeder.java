package io.cosellsync.testing.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.testing.JsonHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Puts demo data on the local system for {@code deploy/local/run.sh}, through the simulators as users would, per
 * tenant: a Microsoft seller shares a co-sell referral in Partner Center (→ webhook → ingress → mapper →
 * salesforce-writer → a pending opportunity), and a partner's seller sets up a synced co-sell opportunity in
 * Salesforce — account, contact, solution, contact role, then Sync on (→ change events → ingress → mapper →
 * partnercenter-writer → a referral, written back to the opportunity). For the first tenant a second seller's
 * opportunity fails on purpose: its account's Billing Country {@code XX} is no ISO code, Partner Center refuses the
 * referral, and the refusal becomes a dead letter with a line on that opportunity's Audit field — the demo of what
 * operators see and replay ({@code cosell-admin dead-letters}).
 *
 * <pre>DemoFeeder &lt;partner-center-simulator-url&gt; &lt;salesforce-simulator-url&gt; &lt;tenant,tenant…&gt;</pre>
 */
public final class DemoFeeder {

    private DemoFeeder() {
    }

    public static void main(String[] args) {
        String partnerCenter = args[0];
        String salesforce = args[1];
        boolean first = true;
        for (String tenant : args[2].split(",")) {
            tenant = tenant.trim();
            String tag = UUID.randomUUID().toString().substring(0, 8);
            JsonNode shared = post(partnerCenter + "/_sim/tenants/" + tenant + "/shared-referrals", sharedReferral(
                    tenant, tag));
            System.out.println("demo referral " + shared.path("id").asText() + " shared by Microsoft with " + tenant);
            String opportunity = sellersOpportunity(salesforce + "/_sim/orgs/" + tenant + "/seller/records/", tag);
            System.out.println("demo opportunity " + opportunity + " synced by a seller of " + tenant);
            if (first) {
                String refused = sellersOpportunity(salesforce + "/_sim/orgs/" + tenant + "/seller/records/",
                        tag + "-XX", "XX");
                System.out.println("demo dead letter: opportunity " + refused + " of " + tenant
                        + " (Billing Country XX)");
                first = false;
            }
        }
    }

    private static Map<String, Object> sharedReferral(String tenant, String tag) {
        Map<String, Object> referral = new LinkedHashMap<>();
        referral.put("name", "Northwind data platform (" + tenant + " demo " + tag + ")");
        referral.put("type", "Shared");
        referral.put("customerProfile", Map.of("name", "Northwind " + tag, "size", "51to250employees",
                "address", Map.of("addressLine1", "Unter den Linden 1", "city", "Berlin", "state", "BE",
                        "postalCode", "10117", "country", "DE"),
                "team", List.of(Map.of("firstName", "Ana", "lastName", "Diaz", "email", "ana.diaz@northwind-" + tag
                        + ".example", "phoneNumber", "+49 30 1234567", "title", "CTO"))));
        referral.put("consent", Map.of("consentToToShareInfoWithOthers", true, "consentToContact", true,
                "consentToShareReferralWithMicrosoftSellers", true));
        referral.put("details", Map.of("notes", "Wants a proof of concept in March.", "dealValue", 98000.5,
                "currency", "EUR", "closingDateTime", "2027-03-31T00:00:00Z", "requirements", Map.of("solutions",
                        List.of(Map.of("id", "SOL-15974-MQF", "name", "Data Platform", "type", "Name")))));
        referral.put("customerMarketplaceIntent", "Yes");
        referral.put("inviteContext", Map.of("assistanceRequestCode", "ProofOfConceptOrDemo", "notes",
                "Please help with a PoC."));
        return referral;
    }

    /** A seller's co-sell opportunity, complete before Sync is switched on (as the connector asks of sellers). */
    private static String sellersOpportunity(String records, String tag) {
        return sellersOpportunity(records, tag, "US");
    }

    private static String sellersOpportunity(String records, String tag, String country) {
        String account = create(records, "Account", Map.of("Name", "Tailspin Toys " + tag, "BillingCountry", country,
                "BillingCity", "Seattle"));
        String contact = create(records, "Contact", Map.of("FirstName", "Mia", "LastName", "Wong", "Email",
                "mia.wong@tailspin-" + tag + ".example", "AccountId", account));
        String opportunity = create(records, "Opportunity", Map.of("Name", "Tailspin analytics " + tag, "StageName",
                "Prospecting", "CloseDate", "2027-06-30", "Amount", 45000, "AccountId", account,
                "How_can_Microsoft_help__c", "Proof of concept or demo", "Customer_Marketplace_Intent__c",
                "Have not decided", "Description", "Demo opportunity created in Salesforce."));
        create(records, "OpportunityContactRole", Map.of("OpportunityId", opportunity, "ContactId", contact,
                "Role", "Decision Maker", "IsPrimary", true));
        create(records, "Microsoft_Solution__c", Map.of("Opportunity__c", opportunity, "Solution_Id__c",
                "SOL-15974-MQF", "Solution_Name__c", "Data Platform"));
        JsonHttp.send(HttpRequest.newBuilder(URI.create(records + "Opportunity/" + opportunity))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        JsonHttp.json(Map.of("Sync_with_Partner_Center__c", true)))));
        return opportunity;
    }

    private static String create(String records, String object, Map<String, Object> fields) {
        return post(records + object, fields).path("id").asText();
    }

    private static JsonNode post(String url, Object body) {
        return JsonHttp.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonHttp.json(body))));
    }
}
