package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SOQL engine, table-driven: every line of {@code soql-cases.txt} is a query with the rows or the error it must
 * give over the data set seeded here (five live accounts and one deleted, contacts, eight opportunities of which one
 * is deleted, contact roles, solutions and a note; close dates relative to today).
 */
@QuarkusTest
class SoqlQueriesTest {

    private static final Pattern CASE = Pattern.compile("(ALL:\\s*)?(.+?)\\s+=>\\s+(.+)");

    /** The seeded org (seeded once: the cases only read). */
    private static Org org;
    private static final Map<String, String> ids = new HashMap<>();
    private static LocalDate today;

    record Case(boolean all, String query, String expectation) {
        @Override
        public String toString() {
            return (all ? "ALL: " : "") + query + " => " + expectation;
        }
    }

    static Stream<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                SoqlQueriesTest.class.getResourceAsStream("/soql-cases.txt")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = CASE.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a case: " + line);
                }
                cases.add(new Case(m.group(1) != null, m.group(2), m.group(3).trim()));
            }
        }
        return cases.stream();
    }

    @BeforeEach
    void seedOnce() {
        if (org != null) {
            return;
        }
        Org fresh = Org.fresh("contoso");
        today = LocalDate.now(ZoneOffset.UTC);
        account(fresh, "Alpine Ski House", "Retail", "US", "Seattle", 120, "Customer - Direct");
        account(fresh, "Bluebird Bank", "Banking", "GB", "London", 5000, "Prospect");
        account(fresh, "Contoso Pharma", "Healthcare", "US", "Boston", 800, null);
        account(fresh, "Datum Corp", "Technology", "DE", "Berlin", null, "Technology Partner");
        account(fresh, "Edge_Case 100%", "Other", null, null, 1, "Other");
        account(fresh, "Fourth Coffee", "Retail", "US", "Portland", 45, "Customer - Channel");
        contact(fresh, "Ada", "Lovelace", "Alpine Ski House");
        contact(fresh, "Grace", "Hopper", "Bluebird Bank");
        contact(fresh, "Alan", "Turing", "Contoso Pharma");
        contact(fresh, "Fran", "Beans", "Fourth Coffee");
        opportunity(fresh, "Alpine Cloud Migration", "Alpine Ski House", "Co-sell Active", 250000, 10, "Azure;SQL",
                true, "ref-alpine-1");
        opportunity(fresh, "Alpine Teams Rollout", "Alpine Ski House", "Prospecting", 40000, -5,
                "Teams;Microsoft365", false, null);
        opportunity(fresh, "Bluebird Analytics", "Bluebird Bank", "Co-sell Pending", 125000.50, 40, "PowerBI", true,
                "ref-bluebird-1");
        opportunity(fresh, "Bluebird Core Banking", "Bluebird Bank", "Closed Won", 900000, -20, null, false, null);
        opportunity(fresh, "Contoso Lab Systems", "Contoso Pharma", "Closed Lost", null, -100, "Azure", false, null);
        opportunity(fresh, "Datum Edge AI", "Datum Corp", "Needs Analysis", 75000, 0, "Azure;Windows;Teams", true,
                "ref-datum-1");
        opportunity(fresh, "Orphan Deal", null, "Qualification", 10000, 1, null, false, null);
        opportunity(fresh, "Coffee Refresh", "Fourth Coffee", "Prospecting", 5000, 3, null, false, null);
        role(fresh, "Alpine Cloud Migration", "Ada Lovelace", "Decision Maker", true);
        role(fresh, "Bluebird Analytics", "Grace Hopper", "Economic Buyer", true);
        role(fresh, "Bluebird Analytics", "Ada Lovelace", "Influencer", false);
        solution(fresh, "Alpine Cloud Migration", "sol-1");
        solution(fresh, "Alpine Cloud Migration", "sol-2");
        solution(fresh, "Datum Edge AI", "sol-3");
        fresh.create("Note", Map.of("ParentId", ids.get("Alpine Cloud Migration"), "Title", "Kickoff notes"));
        fresh.rest().delete(V + "/sobjects/Account/" + ids.get("Fourth Coffee")).then().statusCode(204);
        org = fresh;
    }

    private static void account(Org o, String name, String industry, String country, String city,
            Integer employees, String type) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("Name", name);
        fields.put("Industry", industry);
        fields.put("BillingCountry", country);
        fields.put("BillingCity", city);
        fields.put("NumberOfEmployees", employees);
        fields.put("Type", type);
        ids.put(name, o.create("Account", fields));
    }

    private static void contact(Org o, String first, String last, String account) {
        ids.put(first + " " + last, o.create("Contact", Map.of("FirstName", first, "LastName", last,
                "AccountId", ids.get(account), "Email", first.toLowerCase(Locale.ROOT) + "@example.com")));
    }

    private static void opportunity(Org o, String name, String account, String stage, Number amount,
            int closeInDays, String products, boolean sync, String referral) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("Name", name);
        fields.put("AccountId", account == null ? null : ids.get(account));
        fields.put("StageName", stage);
        fields.put("Amount", amount);
        fields.put("CloseDate", today.plusDays(closeInDays).toString());
        fields.put("Microsoft_Products__c", products);
        fields.put("Sync_with_Partner_Center__c", sync);
        fields.put("Referral_Identifier__c", referral);
        ids.put(name, o.create("Opportunity", fields));
    }

    private static void role(Org o, String opportunity, String contact, String role, boolean primary) {
        o.create("OpportunityContactRole", Map.of("OpportunityId", ids.get(opportunity), "ContactId",
                ids.get(contact), "Role", role, "IsPrimary", primary));
    }

    private static void solution(Org o, String opportunity, String solutionId) {
        o.create("Microsoft_Solution__c", Map.of("Opportunity__c", ids.get(opportunity), "Solution_Id__c",
                solutionId));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void query(Case c) {
        String query = placeholders(c.query());
        Response response = org.rest().queryParam("q", query).get(V + (c.all() ? "/queryAll" : "/query"));
        String expectation = c.expectation();
        if (expectation.startsWith("!")) {
            String[] parts = expectation.substring(1).trim().split(" ", 2);
            assertEquals(400, response.statusCode(), response.asString());
            JsonPath error = response.jsonPath();
            assertEquals(parts[0], error.getString("[0].errorCode"), error.prettify());
            assertTrue(error.getString("[0].message").contains(parts[1]), error.prettify());
            return;
        }
        assertEquals(200, response.statusCode(), response.asString());
        JsonPath result = response.jsonPath();
        assertTrue(result.getBoolean("done"));
        if (expectation.startsWith("count ")) {
            assertEquals(Integer.parseInt(expectation.substring(6)), result.getInt("totalSize"));
            assertEquals(List.of(), result.getList("records"));
            return;
        }
        if (expectation.startsWith("agg ")) {
            String[] kv = expectation.substring(4).split("=");
            assertEquals("AggregateResult", result.getString("records[0].attributes.type"));
            assertEquals(Integer.parseInt(kv[1]), result.getInt("records[0]." + kv[0]));
            return;
        }
        List<String> actual = firstColumn(query, result.getList("records"));
        assertEquals(actual.size(), result.getInt("totalSize"));
        List<String> expected = expectation.length() == 2 ? List.of()
                : List.of(expectation.substring(1, expectation.length() - 1).split(",\\s*"));
        if (expectation.startsWith("[")) {
            assertEquals(expected, actual);
        } else {
            assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
        }
    }

    private static String placeholders(String query) {
        Matcher m = Pattern.compile("\\{(id|id15|idlower):([^}]+)}|\\{today([+-]\\d+)}").matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if (m.group(3) != null) {
                value = today.plusDays(Integer.parseInt(m.group(3).replace("+", ""))).toString();
            } else {
                String id = ids.get(m.group(2));
                value = switch (m.group(1)) {
                    case "id15" -> id.substring(0, 15);
                    case "idlower" -> id.toLowerCase(Locale.ROOT);
                    default -> id;
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** Each record's value of the first selected item, following parents by name (keys matched ignoring case). */
    private static List<String> firstColumn(String query, List<Map<String, Object>> records) {
        String first = query.replaceFirst("(?i)^select\\s+", "").split("(?i)\\s*,|\\s+from\\s")[0].trim();
        List<String> values = new ArrayList<>();
        for (Map<String, Object> record : records) {
            Object value = record;
            for (String part : first.split("\\.")) {
                Map<?, ?> map = (Map<?, ?>) value;
                Object key = map.keySet().stream().filter(k -> ((String) k).equalsIgnoreCase(part)).findFirst()
                        .orElse(null);
                if (key != null) {
                    value = map.get(key);
                }
            }
            values.add(String.valueOf(value));
        }
        return values;
    }

    /** The cases' data set, for tests that want ids. */
    static Map<String, String> seededIds() {
        return new LinkedHashMap<>(ids);
    }
}
