package io.cosellsync.ingress.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.Direction;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldRow;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.Transform;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tenant's Salesforce org must have for the tenant's mapping, checked against the org's describes (as the
 * integration user sees them): every mapped field exists, its type and length fit the transform, the fields the
 * writers write are editable, the Referral Identifier is an external id, the stage names exist. Pure: the describes
 * come in.
 */
public final class SalesforceChecks {

    /** The objects the field map and the Audit trail touch. */
    public static final List<String> OBJECTS = List.of("Opportunity", "Account", "Contact", "User",
            "OpportunityContactRole", "OpportunityTeamMember", "Microsoft_Solution__c");
    /** Fields an org may lack: they are left out, not a reason to hold the tenant. */
    static final Set<String> OPTIONAL = Set.of("Opportunity.CurrencyIsoCode", "Microsoft_Solution__c.CurrencyIsoCode");
    static final String PACKAGE_FIX = "deploy co-sell sync's package (cd deploy/salesforce && sf project deploy start"
            + " --source-dir force-app), or name the org's own field in the tenant's mapping file (fields:)";
    private static final String PERMISSION_FIX = "assign the permission set Cosell_Sync_Integration to the"
            + " integration user (it grants the field-level security), or edit the field's security";

    private SalesforceChecks() {
    }

    /**
     * @param describes by object: its describe, or null when the org has no such object
     * @param stageNames whether the mapping names the stages (the tenant's file does; defaults do not)
     */
    public static List<PreflightProblem> check(TenantMapping mapping, FieldMap map, Map<String, JsonNode> describes,
            boolean stageNames) {
        List<PreflightProblem> problems = new ArrayList<>();
        Set<String> missingObjects = new LinkedHashSet<>();
        for (String object : OBJECTS) {
            if (describes.get(object) == null) {
                missingObjects.add(object);
                problems.add(PreflightProblem.error(object, "the org has no object " + object, object.endsWith("__c")
                        ? PACKAGE_FIX : "enable it in the org (or give the integration user access to it)"));
            }
        }
        Set<String> checked = new HashSet<>();
        for (FieldRow row : map.fields()) {
            check(mapping, mapping.apiName(row.salesforce()), row.transform(), row.direction().toSalesforce(),
                    describes, missingObjects, checked, problems);
        }
        // a collection's items take its direction (users are matched, never written)
        for (CollectionRow collection : map.collections()) {
            for (FieldRow row : collection.fields()) {
                Direction direction = row.direction() != null ? row.direction() : collection.direction();
                check(mapping, mapping.apiName(row.salesforce()), row.transform(), direction.toSalesforce(),
                        describes, missingObjects, checked, problems);
            }
        }
        check(mapping, mapping.apiName(TenantMapping.AUDIT), Transform.TEXT, true, describes, missingObjects, checked,
                problems);
        JsonNode identifier = field(describes, mapping.apiName("Opportunity.Referral_Identifier__c"));
        if (identifier != null && !identifier.path("externalId").asBoolean(false)) {
            problems.add(PreflightProblem.error(mapping.apiName("Opportunity.Referral_Identifier__c"),
                    "is not an external id, so co-sell sync cannot find an opportunity by its referral",
                    "open the field in Setup and tick External ID (and Unique, case-insensitive), or deploy"
                            + " deploy/salesforce"));
        }
        String currencyField = mapping.apiName("Opportunity.CurrencyIsoCode");
        if (field(describes, "Opportunity.CurrencyIsoCode") != null
                && !currencyField.equalsIgnoreCase("Opportunity.CurrencyIsoCode")) {
            problems.add(PreflightProblem.warning(currencyField, "the org has multi-currency, which keeps each"
                    + " amount's currency in Opportunity.CurrencyIsoCode, but the mapping reads and writes the deal's"
                    + " currency here", "set currencyField: Opportunity.CurrencyIsoCode in the tenant's mapping file,"
                    + " unless this field is meant to differ"));
        }
        if (stageNames && describes.get("Opportunity") != null) {
            stages(mapping, describes.get("Opportunity"), problems);
        }
        return problems;
    }

    private static void check(TenantMapping mapping, String qualified, Transform transform, boolean written,
            Map<String, JsonNode> describes, Set<String> missingObjects, Set<String> checked,
            List<PreflightProblem> problems) {
        String object = qualified.substring(0, qualified.indexOf('.'));
        if (missingObjects.contains(object) || !checked.add(qualified)) {
            return;
        }
        JsonNode field = field(describes, qualified);
        if (field == null) {
            problems.add(OPTIONAL.contains(qualified)
                    ? PreflightProblem.warning(qualified, "the org has no such field (no multi-currency): it is left"
                            + " out", "nothing, unless the org should have multi-currency")
                    : PreflightProblem.error(qualified, "the org has no such field", PACKAGE_FIX));
            return;
        }
        String type = field.path("type").asText();
        Set<String> fits = types(transform);
        if (!fits.contains(type)) {
            problems.add(PreflightProblem.error(qualified, "is a " + type + " field; the " + transform.name()
                    .toLowerCase().replace('_', '-') + " transform needs one of " + fits, "change the field's type"
                    + " or name another field in the tenant's mapping file (fields:)"));
            return;
        }
        int needed = written ? minimumLength(mapping, qualified, transform) : 0;
        int length = field.path("length").asInt(0);
        if (needed > 0 && length > 0 && length < needed && !type.equals("picklist")) {
            problems.add(PreflightProblem.error(qualified, "holds at most " + length + " characters; co-sell sync"
                    + " writes up to " + needed + " here", "make the field at least " + needed + " characters long"
                    + " (Setup → Object Manager → the field → Edit), or deploy deploy/salesforce"));
        }
        // users are only read: the integration licence sees them without field-level security
        if (written && !qualified.startsWith("User.") && !field.path("createable").asBoolean(false)
                && !field.path("updateable").asBoolean(false)) {
            problems.add(PreflightProblem.error(qualified, "the integration user cannot write it (not createable"
                    + " or updateable)", PERMISSION_FIX));
        }
    }

    private static void stages(TenantMapping mapping, JsonNode opportunity, List<PreflightProblem> problems) {
        JsonNode stageName = null;
        for (JsonNode f : opportunity.path("fields")) {
            if (f.path("name").asText().equals("StageName")) {
                stageName = f;
            }
        }
        if (stageName == null) {
            return;
        }
        Set<String> values = new HashSet<>();
        stageName.path("picklistValues").forEach(v -> {
            if (v.path("active").asBoolean(true)) {
                values.add(v.path("value").asText());
            }
        });
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(mapping.pendingStage());
        wanted.add(mapping.activeStage());
        wanted.addAll(mapping.closedStages().values());
        for (String stage : wanted) {
            if (stage != null && !values.contains(stage)) {
                problems.add(PreflightProblem.error("Opportunity.StageName", "has no active stage '" + stage + "'",
                        "add it in Setup → Object Manager → Opportunity → Fields → Stage, and to the sales processes"
                                + " co-sell opportunities use (or name an existing stage in the tenant's mapping"
                                + " file)"));
            }
        }
    }

    /**
     * Change Data Capture: each object whose change events ingress subscribes to must be a member of the tenant's
     * channel ({@code PlatformEventChannelMember} rows, named {@code ChangeEvents_<Event>} on the standard channel
     * and {@code <Name>_chn_<Event>} on a custom one), else its changes never arrive.
     *
     * @param members the org's channel members (Tooling API), each with DeveloperName and SelectedEntity
     * @param channel the tenant's channel, {@code /data/ChangeEvents} or {@code /data/<Name>__chn}
     */
    public static List<PreflightProblem> changeDataCapture(List<JsonNode> members, String channel,
            List<String> objects) {
        String prefix = "/data/ChangeEvents".equals(channel) ? "ChangeEvents_"
                : channel.substring(channel.lastIndexOf('/') + 1).replace("__chn", "_chn") + "_";
        Set<String> selected = new HashSet<>();
        for (JsonNode member : members) {
            if (member.path("DeveloperName").asText().startsWith(prefix)) {
                selected.add(member.path("SelectedEntity").asText());
            }
        }
        List<PreflightProblem> problems = new ArrayList<>();
        for (String object : objects) {
            String event = object.endsWith("__c") ? object.substring(0, object.length() - 1) + "ChangeEvent"
                    : object + "ChangeEvent";
            if (!selected.contains(event)) {
                problems.add(PreflightProblem.error(object, "is not selected for Change Data Capture on " + channel
                        + ", so its changes would never reach co-sell sync", "/data/ChangeEvents".equals(channel)
                                ? "select it in Setup → Change Data Capture (or deploy deploy/salesforce's"
                                        + " platformEventChannelMembers), or run the tenant in polling mode"
                                        + " (ingress.salesforce.tenants.<tenant>.mode=polling)"
                                : "add a member for " + event + " to the channel, or use /data/ChangeEvents"));
            }
        }
        return problems;
    }

    private static JsonNode field(Map<String, JsonNode> describes, String qualified) {
        JsonNode describe = describes.get(qualified.substring(0, qualified.indexOf('.')));
        if (describe == null) {
            return null;
        }
        String name = qualified.substring(qualified.indexOf('.') + 1);
        for (JsonNode f : describe.path("fields")) {
            if (f.path("name").asText().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The longest value co-sell sync writes to a text field, where it is known: a name (cut to
     * {@value Transform#NAME_LENGTH}), the Referral Identifier (a referral id, a 36-character GUID), the Referral Link
     * (the tenant's template with such an id), a currency or country code; 0 when not bounded here.
     */
    static int minimumLength(TenantMapping mapping, String qualified, Transform transform) {
        String guid = "00000000-0000-0000-0000-000000000000";
        if (qualified.equalsIgnoreCase(mapping.apiName("Opportunity.Referral_Identifier__c"))) {
            return guid.length();
        }
        return switch (transform) {
            case NAME -> Transform.NAME_LENGTH;
            case REFERRAL_LINK -> mapping.referralLink(guid).length();
            case CURRENCY -> 3;
            case COUNTRY_CODE -> 2;
            default -> 0;
        };
    }

    /** The describe types a transform can read and write. */
    static Set<String> types(Transform transform) {
        return switch (transform) {
            case TEXT -> Set.of("string", "textarea", "url", "email", "phone", "picklist", "id", "reference");
            case NAME, FIRST_PRESENT -> Set.of("string", "textarea");
            case STREET -> Set.of("textarea", "string");
            case DECIMAL -> Set.of("currency", "double", "int", "percent");
            case CURRENCY, COUNTRY_CODE -> Set.of("string", "picklist");
            case UTC_DATE -> Set.of("date", "datetime");
            case STAGE, PICKLIST -> Set.of("picklist");
            case CHECKBOX, CONSTANT_TRUE -> Set.of("boolean");
            case REFERRAL_LINK -> Set.of("url", "string", "textarea");
        };
    }
}
