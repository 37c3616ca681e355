package io.cosellsync.simulator.partnercenter;

import java.util.List;
import java.util.Map;

/** Request bodies for the contract tests: a co-sell referral as a partner creates it. */
final class ReferralRequests {

    private ReferralRequests() {
    }

    static Map<String, Object> coSell(String name) {
        return Map.of(
                "name", name,
                "externalReferenceId", "006gK000001AbCdQAK",
                "type", "Shared",
                "qualification", "SalesQualified",
                "customerProfile", Map.of(
                        "name", "Fabrikam Ltd",
                        "address", Map.of("addressLine1", "1 Main St", "city", "Seattle", "state", "WA",
                                "postalCode", "98101", "country", "US"),
                        "size", "251to1000employees",
                        "team", List.of(Map.of("firstName", "Ana", "lastName", "Diaz", "phoneNumber", "+12065550100",
                                "email", "ana.diaz@fabrikam.example")),
                        "ids", List.of(Map.of("profileType", "External", "id", "1-15NFGVZ"))),
                "consent", Map.of("consentToToShareInfoWithOthers", true, "consentToContact", true,
                        "consentToShareReferralWithMicrosoftSellers", true),
                "details", Map.of(
                        "notes", "Needs help with a PoC on Azure.",
                        "dealValue", 120000,
                        "currency", "USD",
                        "closingDateTime", "2026-03-31T00:00:00Z",
                        "requirements", Map.of("solutions", List.of(Map.of("type", "Name", "id", "SOL-15974-MQF")))),
                "team", List.of(Map.of("firstName", "Sam", "lastName", "Lee", "phoneNumber", "+12065550111",
                        "email", "sam.lee@contoso.example", "contactPreference", Map.of("locale", "en-us"))),
                "inviteContext", Map.of("notes", "Please help with a PoC.",
                        "assistanceRequestCode", "ProofOfConceptOrDemo"),
                "target", List.of(Map.of("type", "SolutionProfile", "id", "SOL-15974-MQF")));
    }
}
