package io.cosellsync.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the chaos suite checks once the system has settled, each failure as a sentence: nothing lost (each referral
 * the rules sync has one opportunity and each synced opportunity one referral, counted on both sides by id and by
 * {@code externalReferenceId}), nothing duplicated (accounts, contacts, contact roles, solutions, team members), the
 * final values of the {@code latest} fields as the {@link ChaosLedger} says, and every open dead letter of an
 * opportunity shown on its Audit trail.
 */
final class ChaosChecks {

    private final LocalSystem system;
    private final ChaosLedger ledger;
    private final List<String> failures = new ArrayList<>();

    ChaosChecks(LocalSystem system, ChaosLedger ledger) {
        this.system = system;
        this.ledger = ledger;
    }

    List<String> run() throws Exception {
        for (String tenant : List.of("contoso", "fabrikam")) {
            ExpectedSalesforce expect = ExpectedSalesforce.of(tenant);
            String description = expect.field("Opportunity.Description");
            String amount = expect.field("Opportunity.Amount");
            String audit = expect.field("Opportunity.Partner_Center_Audit__c");
            List<JsonNode> opportunities = system.soql(tenant, "SELECT Id, StageName, Referral_Identifier__c, "
                    + description + ", " + amount + ", " + audit + " FROM Opportunity");
            List<JsonNode> referrals = new ArrayList<>();
            system.getFromPartnerCenter("/_sim/tenants/" + tenant + "/referrals").forEach(r -> {
                if (!"msft".equals(r.path("organizationId").asText())) {
                    referrals.add(r);
                }
            });
            Map<String, List<JsonNode>> opportunitiesByReferral = group(opportunities,
                    o -> o.path("Referral_Identifier__c").asText(""));
            Map<String, List<JsonNode>> referralsByOpportunity = group(referrals,
                    r -> r.path("externalReferenceId").asText(""));
            Map<String, JsonNode> referralsById = new HashMap<>();
            referrals.forEach(r -> referralsById.put(r.path("id").asText(), r));
            Map<String, JsonNode> opportunitiesById = new HashMap<>();
            opportunities.forEach(o -> opportunitiesById.put(o.path("Id").asText(), o));

            for (ChaosLedger.Pair pair : ledger.pairs()) {
                if (!pair.tenant.equals(tenant)) {
                    continue;
                }
                if (pair.shared) {
                    once(tenant + ": opportunities of shared referral " + pair.referralId,
                            opportunitiesByReferral.getOrDefault(pair.referralId, List.of()).size());
                } else {
                    JsonNode o = opportunitiesById.get(pair.opportunityId);
                    once(tenant + ": referrals of opportunity " + pair.opportunityId + (o == null ? " (gone)"
                            : " (stage " + o.path("StageName").asText() + "; Audit: " + lastLine(o.path(audit)
                                    .asText()) + ")"),
                            referralsByOpportunity.getOrDefault(pair.opportunityId, List.of()).size());
                }
            }
            for (JsonNode o : opportunities) {
                String referral = o.path("Referral_Identifier__c").asText("");
                if (!referral.isEmpty() && !referralsById.containsKey(referral)) {
                    failures.add(tenant + ": opportunity " + o.path("Id").asText() + " names referral " + referral
                            + ", which Partner Center does not have");
                }
            }
            for (Map.Entry<String, List<JsonNode>> e : opportunitiesByReferral.entrySet()) {
                if (!e.getKey().isEmpty() && e.getValue().size() > 1) {
                    failures.add(tenant + ": " + e.getValue().size() + " opportunities for referral " + e.getKey());
                }
            }
            values(tenant, description, amount, opportunitiesById, referralsById);
            duplicates(tenant);
            audited(tenant, audit, opportunitiesById);
        }
        return failures;
    }

    private static String lastLine(String trail) {
        return trail.isEmpty() ? "empty" : "'" + trail.lines().findFirst().orElse("") + "'";
    }

    private void once(String what, int count) {
        if (count != 1) {
            failures.add(what + ": " + count + (count == 0 ? " (lost)" : " (duplicated)"));
        }
    }

    /**
     * Each pair's notes and deal value on both sides: equal, and the last save's (contoso: both {@code latest}, its
     * org sends change events; fabrikam: notes are Partner Center's by its mapping, the deal value {@code latest},
     * and its org is polled, so two saves on different sides within one second are a tie either may win).
     */
    private void values(String tenant, String description, String amount, Map<String, JsonNode> opportunities,
            Map<String, JsonNode> referrals) {
        boolean polled = tenant.equals("fabrikam");
        for (ChaosLedger.Pair pair : ledger.pairs()) {
            Optional<ChaosLedger.Save> last = pair.last();
            if (!pair.tenant.equals(tenant) || last.isEmpty()) {
                continue;
            }
            JsonNode o = opportunities.get(pair.opportunityId);
            JsonNode r = referrals.get(pair.referralId);
            if (o == null || r == null) {
                continue; // counted as lost above
            }
            String label = tenant + ": referral " + pair.referralId + " / opportunity " + pair.opportunityId;
            String sfNotes = o.path(description).asText();
            String pcNotes = r.at("/details/notes").asText();
            BigDecimal sfValue = decimal(o.path(amount));
            BigDecimal pcValue = decimal(r.at("/details/dealValue"));
            if (!sfNotes.equals(pcNotes) || sfValue == null || pcValue == null || sfValue.compareTo(pcValue) != 0) {
                failures.add(label + ": the sides differ: notes '" + sfNotes + "' / '" + pcNotes + "', value "
                        + sfValue + " / " + pcValue + " (last save " + last.get() + ")");
                continue;
            }
            List<ChaosLedger.Save> allowed = new ArrayList<>(List.of(last.get()));
            if (polled) {
                pair.tiedWithLast().ifPresent(allowed::add);
            }
            if (allowed.stream().noneMatch(s -> s.value().compareTo(sfValue) == 0)) {
                failures.add(label + ": deal value " + sfValue + ", the last save was " + last.get());
            }
            if (!polled && allowed.stream().noneMatch(s -> s.notes().equals(sfNotes))) {
                failures.add(label + ": notes '" + sfNotes + "', the last save was " + last.get());
            }
            if (polled) {
                Optional<ChaosLedger.Save> partners = pair.lastOn(ChaosLedger.Side.PARTNER_CENTER);
                if (partners.isPresent() && !partners.get().notes().equals(pcNotes)) {
                    failures.add(label + ": notes (Partner Center's) '" + pcNotes + "', its last save was "
                            + partners.get());
                }
            }
        }
    }

    /** No account, contact, contact role, solution or team member of the workload's customers twice. */
    private void duplicates(String tenant) {
        Set<String> ours = new HashSet<>();
        ledger.pairs().forEach(p -> ours.add(p.opportunityId));
        twice(tenant, "accounts", "SELECT Id, Name FROM Account", r -> r.path("Name").asText(),
                k -> k.startsWith("Chaos") || k.startsWith("Northwind chaos"));
        twice(tenant, "contacts", "SELECT Id, Email FROM Contact", r -> r.path("Email").asText().toLowerCase(),
                k -> k.contains("@chaos") || k.contains("@northwind-chaos"));
        twice(tenant, "contact roles", "SELECT Id, OpportunityId, ContactId FROM OpportunityContactRole",
                r -> r.path("OpportunityId").asText() + "/" + r.path("ContactId").asText(),
                k -> ours.contains(k.substring(0, k.indexOf('/'))));
        twice(tenant, "solutions", "SELECT Id, Opportunity__c, Solution_Id__c FROM Microsoft_Solution__c",
                r -> r.path("Opportunity__c").asText() + "/" + r.path("Solution_Id__c").asText(),
                k -> ours.contains(k.substring(0, k.indexOf('/'))));
        twice(tenant, "team members", "SELECT Id, OpportunityId, UserId FROM OpportunityTeamMember",
                r -> r.path("OpportunityId").asText() + "/" + r.path("UserId").asText(),
                k -> ours.contains(k.substring(0, k.indexOf('/'))));
    }

    private void twice(String tenant, String what, String soql, Function<JsonNode, String> key,
            Predicate<String> workloads) {
        Map<String, List<JsonNode>> byKey = group(system.soql(tenant, soql), key);
        byKey.forEach((k, rows) -> {
            if (workloads.test(k) && rows.size() > 1) {
                failures.add(tenant + ": " + rows.size() + " " + what + " for " + k);
            }
        });
    }

    /** Every open dead letter of an opportunity is on its Audit trail (a ✖ line). */
    private void audited(String tenant, String audit, Map<String, JsonNode> opportunities) throws Exception {
        for (List<String> row : system.databaseRows("SELECT letter_id, opportunity_id, reason_code FROM"
                + " salesforce_writer.dead_letter WHERE tenant_id = ? AND state = 'open' AND opportunity_id IS NOT"
                + " NULL", tenant)) {
            JsonNode o = opportunities.get(row.get(1));
            if (o != null && !o.path(audit).asText().contains("✖")) {
                failures.add(tenant + ": open dead letter " + row.get(0) + " (" + row.get(2) + ") is not on the"
                        + " Audit trail of opportunity " + row.get(1));
            }
        }
    }

    /** Dead letters by service and reason, all tenants. */
    Map<String, Long> deadLetters() throws Exception {
        Map<String, Long> byReason = new TreeMap<>();
        for (List<String> row : system.databaseRows("SELECT service || ' ' || reason_code || ' (' || state || ')',"
                + " count(*) FROM salesforce_writer.dead_letter GROUP BY 1")) {
            byReason.put(row.get(0), Long.parseLong(row.get(1)));
        }
        return byReason;
    }

    private static BigDecimal decimal(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || value.asText().isEmpty() ? null
                : new BigDecimal(value.asText());
    }

    private static Map<String, List<JsonNode>> group(List<JsonNode> rows, Function<JsonNode, String> key) {
        Map<String, List<JsonNode>> byKey = new HashMap<>();
        rows.forEach(r -> byKey.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
        return byKey;
    }
}
