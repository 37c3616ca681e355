package io.cosellsync.systemtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Referrals for bursts (the crash test, the benchmark): named {@code <tag> opportunity <i>}, for one of 40 customers
 * ({@code <tag> customer <k>}, two contacts each, e-mails at {@code <tag>.example}), one solution, one seller.
 */
final class BurstReferrals {

    static final int CUSTOMERS = 40;
    static final int CONTACTS_PER_CUSTOMER = 2;
    private static final String[] COUNTRIES = {"DE", "US", "GB", "FR", "NL"};
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private BurstReferrals() {
    }

    /** Referral i of a run: its customer (one of 40, with two contacts each), deal, solution and seller. */
    static String referral(String tag, int i, String seller) {
        int customer = i % CUSTOMERS;
        String domain = tag.toLowerCase() + ".example";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", tag + " opportunity " + i);
        body.put("type", "Shared");
        List<Map<String, Object>> team = new ArrayList<>();
        for (int c = 0; c < CONTACTS_PER_CUSTOMER; c++) {
            team.add(Map.of("firstName", "Contact" + c, "lastName", "Customer" + customer,
                    "email", "c" + c + ".customer" + customer + "@" + domain,
                    "phoneNumber", "+49 30 " + (1000000 + customer * 10 + c), "title", c == 0 ? "CTO" : "CFO"));
        }
        body.put("customerProfile", Map.of("name", tag + " customer " + customer, "size", "51to250employees",
                "address", Map.of("addressLine1", customer + " Main Street", "city", "Springfield",
                        "postalCode", "1" + (1000 + customer), "country", COUNTRIES[customer % COUNTRIES.length]),
                "team", team));
        body.put("consent", Map.of("consentToToShareInfoWithOthers", true, "consentToContact", true,
                "consentToShareReferralWithMicrosoftSellers", true));
        body.put("details", Map.of("notes", "Burst referral " + i + " of " + tag,
                "dealValue", 1000 + i + (i % 4) * 0.25, "currency", CURRENCIES[i % CURRENCIES.length],
                "closingDateTime", "2027-0" + (1 + i % 9) + "-15T00:00:00Z",
                "requirements", Map.of("solutions", List.of(Map.of("id", "SOL-15974-MQF", "name", "Data Platform",
                        "type", "Name")))));
        body.put("team", List.of(Map.of("firstName", "Sam", "lastName", "Lee", "email", seller)));
        body.put("inviteContext", Map.of("assistanceRequestCode", "ProofOfConceptOrDemo", "notes", "Burst " + i));
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
