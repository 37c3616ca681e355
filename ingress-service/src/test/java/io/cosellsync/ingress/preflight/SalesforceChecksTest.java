package io.cosellsync.ingress.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldRow;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappings;
import io.cosellsync.mapping.Transform;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each check of an org against a tenant's mapping, one broken thing at a time, on describes shaped as Salesforce
 * answers them: a missing field (an error, or a warning for an optional one), a wrong type, a field the integration
 * user cannot write, a Referral Identifier that is no external id, a missing stage, a missing object.
 */
class SalesforceChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TenantMapping MAPPING = TenantMappings.parse("activeStage: Co-sell Active\n"
            + "pendingStage: Co-sell Pending\n", "contoso.yaml", FieldMap.standard());

    /** An org set up as co-sell sync wants it. */
    private static Map<String, JsonNode> org() {
        Map<String, JsonNode> describes = new HashMap<>();
        for (String object : SalesforceChecks.OBJECTS) {
            describes.put(object, JSON.createObjectNode().put("name", object).set("fields", JSON.createArrayNode()));
        }
        for (FieldRow row : FieldMap.standard().allRows()) {
            add(describes, row.salesforce(), type(row.transform()));
        }
        add(describes, TenantMapping.AUDIT, "textarea");
        field(describes, "Opportunity.Referral_Identifier__c").put("externalId", true).put("unique", true);
        ArrayNode stages = field(describes, "Opportunity.StageName").putArray("picklistValues");
        for (String stage : List.of("Prospecting", "Co-sell Pending", "Co-sell Active", "Closed Won", "Closed Lost")) {
            stages.addObject().put("value", stage).put("active", true);
        }
        return describes;
    }

    private static void add(Map<String, JsonNode> describes, String qualified, String type) {
        ArrayNode fields = (ArrayNode) describes.get(qualified.split("\\.")[0]).get("fields");
        for (JsonNode f : fields) {
            if (f.path("name").asText().equals(qualified.split("\\.")[1])) {
                return;
            }
        }
        fields.addObject().put("name", qualified.split("\\.")[1]).put("type", type).put("createable", true)
                .put("updateable", true).put("externalId", false);
    }

    private static ObjectNode field(Map<String, JsonNode> describes, String qualified) {
        for (JsonNode f : describes.get(qualified.split("\\.")[0]).get("fields")) {
            if (f.path("name").asText().equals(qualified.split("\\.")[1])) {
                return (ObjectNode) f;
            }
        }
        throw new AssertionError("no " + qualified);
    }

    private static void remove(Map<String, JsonNode> describes, String qualified) {
        ArrayNode fields = (ArrayNode) describes.get(qualified.split("\\.")[0]).get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).path("name").asText().equals(qualified.split("\\.")[1])) {
                fields.remove(i);
                return;
            }
        }
    }

    private static String type(Transform transform) {
        return switch (transform) {
            case DECIMAL -> "currency";
            case UTC_DATE -> "date";
            case STAGE, PICKLIST, CURRENCY -> "picklist";
            case CHECKBOX, CONSTANT_TRUE -> "boolean";
            case STREET -> "textarea";
            case REFERRAL_LINK -> "url";
            default -> "string";
        };
    }

    private static List<PreflightProblem> check(Map<String, JsonNode> describes) {
        return SalesforceChecks.check(MAPPING, FieldMap.standard(), describes, true);
    }

    @Test
    void anOrgSetUpAsThePackageWantsItPasses() {
        assertEquals(List.of(), check(org()));
    }

    @Test
    void aMissingFieldHoldsTheTenantAndSaysHowToAddIt() {
        Map<String, JsonNode> org = org();
        remove(org, "Opportunity.Microsoft_CRM_Identifier__c");
        PreflightProblem problem = check(org).get(0);
        assertEquals(PreflightProblem.Severity.ERROR, problem.severity());
        assertEquals("Opportunity.Microsoft_CRM_Identifier__c", problem.subject());
        assertTrue(problem.fix().contains("deploy/salesforce") && problem.fix().contains("fields:"), problem.fix());
    }

    @Test
    void aMissingOptionalFieldIsAWarningNotAHold() {
        Map<String, JsonNode> org = org();
        remove(org, "Opportunity.CurrencyIsoCode");
        List<PreflightProblem> problems = check(org);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(PreflightProblem.Severity.WARNING, problems.get(0).severity());
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedWithTheTypesItNeeds() {
        Map<String, JsonNode> org = org();
        field(org, "Opportunity.Amount").put("type", "string");
        PreflightProblem problem = check(org).get(0);
        assertEquals("Opportunity.Amount", problem.subject());
        assertTrue(problem.problem().contains("string") && problem.problem().contains("currency"), problem.problem());
    }

    @Test
    void aFieldTheIntegrationUserCannotWriteNamesThePermissionSet() {
        Map<String, JsonNode> org = org();
        field(org, "Opportunity.Referral_Link__c").put("createable", false).put("updateable", false);
        PreflightProblem problem = check(org).get(0);
        assertEquals("Opportunity.Referral_Link__c", problem.subject());
        assertTrue(problem.fix().contains("Cosell_Sync_Integration"), problem.fix());
    }

    @Test
    void aReferralIdentifierThatIsNoExternalIdSaysToTickExternalId() {
        Map<String, JsonNode> org = org();
        field(org, "Opportunity.Referral_Identifier__c").put("externalId", false);
        PreflightProblem problem = check(org).get(0);
        assertEquals("Opportunity.Referral_Identifier__c is not an external id, so co-sell sync cannot find an"
                + " opportunity by its referral", problem.subject() + " " + problem.problem());
        assertTrue(problem.fix().contains("External ID"), problem.fix());
    }

    @Test
    void aMissingStageIsNamedAndTheStagesAreNotCheckedWithoutAMappingFile() {
        Map<String, JsonNode> org = org();
        ((ArrayNode) field(org, "Opportunity.StageName").get("picklistValues")).remove(2);
        List<PreflightProblem> problems = check(org);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).problem().contains("'Co-sell Active'"), problems.get(0).problem());
        assertEquals(List.of(), SalesforceChecks.check(MAPPING, FieldMap.standard(), org, false));
    }

    @Test
    void aMissingCustomObjectIsOneProblemNotOnePerField() {
        Map<String, JsonNode> org = org();
        org.put("Microsoft_Solution__c", null);
        List<PreflightProblem> problems = check(org);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("Microsoft_Solution__c", problems.get(0).subject());
        assertTrue(problems.get(0).fix().contains("deploy/salesforce"), problems.get(0).fix());
    }

    @Test
    void renamedFieldsAreCheckedUnderTheOrgsNames() {
        TenantMapping renamed = TenantMappings.parse("activeStage: Co-sell Active\npendingStage: Co-sell Pending\n"
                + "fields: {Opportunity.Referral_Identifier__c: Opportunity.MSPC_Referral_Id__c}\n", "t.yaml",
                FieldMap.standard());
        List<PreflightProblem> problems = SalesforceChecks.check(renamed, FieldMap.standard(), org(), true);
        assertEquals(List.of("Opportunity.MSPC_Referral_Id__c"), problems.stream().map(PreflightProblem::subject)
                .distinct().toList());
    }

    @Test
    void changeDataCaptureCountsOnlyTheMembersOfTheTenantsChannel() {
        List<JsonNode> members = List.of(member("ChangeEvents_OpportunityChangeEvent", "OpportunityChangeEvent"),
                member("CoSell_chn_AccountChangeEvent", "AccountChangeEvent"),
                member("CoSell_chn_Microsoft_Solution__ChangeEvent", "Microsoft_Solution__ChangeEvent"));
        List<String> objects = List.of("Opportunity", "Account", "Microsoft_Solution__c");
        assertEquals(List.of("Account", "Microsoft_Solution__c"), SalesforceChecks.changeDataCapture(members,
                "/data/ChangeEvents", objects).stream().map(PreflightProblem::subject).toList());
        List<PreflightProblem> custom = SalesforceChecks.changeDataCapture(members, "/data/CoSell__chn", objects);
        assertEquals(List.of("Opportunity"), custom.stream().map(PreflightProblem::subject).toList());
        assertTrue(custom.get(0).fix().contains("OpportunityChangeEvent"), custom.get(0).fix());
    }

    private static JsonNode member(String developerName, String entity) {
        return JSON.createObjectNode().put("DeveloperName", developerName).put("SelectedEntity", entity);
    }

    @Test
    void aMultiCurrencyOrgWhoseMappingReadsTheCurrencyElsewhereIsWarned() {
        TenantMapping elsewhere = TenantMappings.parse("activeStage: Co-sell Active\npendingStage: Co-sell Pending\n"
                + "currencyField: Opportunity.Referral_Link__c\n", "t.yaml", FieldMap.standard());
        List<PreflightProblem> problems = SalesforceChecks.check(elsewhere, FieldMap.standard(), org(), true);
        PreflightProblem currency = problems.stream().filter(p -> p.subject().equals("Opportunity.Referral_Link__c")
                && p.problem().contains("multi-currency")).findFirst().orElseThrow(() -> new AssertionError(problems
                        .toString()));
        assertEquals(PreflightProblem.Severity.WARNING, currency.severity());
        assertTrue(check(org()).stream().noneMatch(p -> p.problem().contains("multi-currency")));
    }

    @Test
    void aTextFieldTooShortForWhatIsWrittenThereIsAnError() {
        Map<String, JsonNode> org = org();
        field(org, "Opportunity.Referral_Identifier__c").put("length", 20);
        field(org, "Opportunity.Name").put("length", 80);
        field(org, "Opportunity.Referral_Link__c").put("length", 255);
        List<PreflightProblem> problems = check(org);
        assertEquals(List.of("Opportunity.Name", "Opportunity.Referral_Identifier__c"), problems.stream()
                .map(PreflightProblem::subject).sorted().toList(), problems.toString());
        PreflightProblem identifier = problems.stream().filter(p -> p.subject().endsWith("Identifier__c"))
                .findFirst().orElseThrow();
        assertTrue(identifier.problem().contains("at most 20") && identifier.problem().contains("up to 36"),
                identifier.problem());
        assertEquals(120, SalesforceChecks.minimumLength(MAPPING, "Opportunity.Name", Transform.NAME));
    }
}
