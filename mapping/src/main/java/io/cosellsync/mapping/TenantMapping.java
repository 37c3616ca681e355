package io.cosellsync.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tenant's mapping settings: Microsoft's seven connector settings, the stage map, picklist maps, API names of
 * this org's fields, per-field ownership, defaults for required fields and the account matching rule. Read from the
 * tenant's YAML file by {@link TenantMappings}; every absent setting takes the default documented in
 * mapping/README.md.
 *
 * @param closedStages  closed Partner Center substatus (Won, Lost, Declined, Expired) → stage name
 * @param picklists     picklist map name → Partner Center code → Salesforce picklist value (replaces a default map)
 * @param fields        default API name ({@code Object.Field}) → this org's API name ({@code Object.Field})
 * @param owners        default API name → owner, overriding the field map's owner
 * @param defaults      default API name → value used when the referral has none: text, or for a date an ISO period
 *                      ({@code P90D}) after the referral was created
 * @param accountMatch  Account fields (default API names) whose values must all equal for an existing account to
 *                      be the referral's customer
 * @param referralLink  the Referral Link written to Salesforce: a web address a seller can open, {@code {id}} the
 *                      referral id (default: Partner Center's referrals workspace; Microsoft documents no address of
 *                      one referral, so the default opens the list, not the referral)
 */
public record TenantMapping(
        Boolean checkMark,
        String activeStage,
        String pendingStage,
        String countryCodeField,
        String dealValueField,
        String currencyField,
        Boolean coSellOnly,
        Map<String, String> closedStages,
        Map<String, Map<String, String>> picklists,
        Map<String, String> fields,
        Map<String, Owner> owners,
        Map<String, String> defaults,
        List<String> accountMatch,
        String referralLink) {

    /** Partner Center's referrals workspace (the documented page); no per-referral address is documented. */
    public static final String DEFAULT_REFERRAL_LINK = "https://partner.microsoft.com/dashboard/referrals/v2/leads";

    static final Map<String, String> DEFAULT_CLOSED_STAGES = Map.of("Won", "Closed Won", "Lost", "Closed Lost",
            "Declined", "Closed Lost", "Expired", "Closed Lost");
    static final Map<String, Map<String, String>> DEFAULT_PICKLISTS = Map.of(
            "assistanceRequestCode", ordered(
                    "WorkloadSpecificValueProposition", "Workload specific value proposition",
                    "CustomerTechnicalArchitecture", "Customer technical architecture",
                    "ProofOfConceptOrDemo", "Proof of concept or demo",
                    "QuotesOrLicensing", "Quotes or licensing",
                    "PostSalesCustomerSuccess", "Post sales customer success",
                    "GeneralOrOther", "General or other"),
            "customerMarketplaceIntent", ordered("Yes", "Yes", "No", "No", "HaveNotDecided", "Have not decided"));
    static final Map<String, String> DEFAULT_DEFAULTS = Map.of("Contact.LastName", "(not provided)",
            "Opportunity.CloseDate", "P90D");

    /** Settings with every default filled in (the two stage names have none: they are the tenant's own). */
    public TenantMapping {
        checkMark = checkMark == null ? Boolean.TRUE : checkMark;
        countryCodeField = countryCodeField == null ? "Account.BillingCountry" : countryCodeField;
        dealValueField = dealValueField == null ? "Opportunity.Amount" : dealValueField;
        currencyField = currencyField == null ? "Opportunity.CurrencyIsoCode" : currencyField;
        coSellOnly = coSellOnly == null ? Boolean.TRUE : coSellOnly;
        Map<String, String> stages = new LinkedHashMap<>(DEFAULT_CLOSED_STAGES);
        if (closedStages != null) {
            stages.putAll(closedStages);
        }
        closedStages = Map.copyOf(stages);
        Map<String, Map<String, String>> lists = new LinkedHashMap<>(DEFAULT_PICKLISTS);
        if (picklists != null) {
            lists.putAll(picklists);
        }
        picklists = Map.copyOf(lists);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        owners = owners == null ? Map.of() : Map.copyOf(owners);
        Map<String, String> values = new LinkedHashMap<>(DEFAULT_DEFAULTS);
        if (defaults != null) {
            values.putAll(defaults);
        }
        defaults = Map.copyOf(values);
        accountMatch = accountMatch == null ? List.of("Account.Name", "Account.BillingCountry")
                : List.copyOf(accountMatch);
        referralLink = referralLink == null ? DEFAULT_REFERRAL_LINK : referralLink;
    }

    /** The Referral Link of a referral: the template with {@code {id}} replaced by the (URL-encoded) id. */
    public String referralLink(String referralId) {
        if (referralId == null || referralId.isBlank()) {
            return null;
        }
        return referralLink.replace("{id}", java.net.URLEncoder.encode(referralId,
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** The Audit field (the sync trail): not in the field map, since only co-sell sync writes it; renamed like one. */
    public static final String AUDIT = "Opportunity.Partner_Center_Audit__c";

    /** This org's {@code Object.Field} for a field map's default API name. */
    public String apiName(String defaultName) {
        return switch (defaultName) {
            case "Account.BillingCountry" -> countryCodeField;
            case "Opportunity.Amount" -> dealValueField;
            case "Opportunity.CurrencyIsoCode" -> currencyField;
            default -> fields.getOrDefault(defaultName, defaultName);
        };
    }

    /** This org's field name (without the object) for a default API name. */
    public String fieldName(String defaultName) {
        String name = apiName(defaultName);
        return name.substring(name.indexOf('.') + 1);
    }

    public Owner owner(FieldRow row) {
        return owners.getOrDefault(row.salesforce(), row.owner());
    }

    /** The stage a closed substatus maps to. */
    public String closedStage(ReferralSubstatus substatus) {
        return closedStages.get(wire(substatus));
    }

    static String wire(Enum<?> value) {
        try {
            return value.getDeclaringClass().getField(value.name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What is wrong with these settings against the field map, each naming its key. */
    List<String> problems(FieldMap map) {
        List<String> problems = new ArrayList<>();
        if (blank(activeStage)) {
            problems.add("activeStage: required (the stage that means accepted in Partner Center)");
        }
        if (blank(pendingStage)) {
            problems.add("pendingStage: required (the stage of referrals not yet accepted)");
        }
        if (!blank(activeStage) && activeStage.equals(pendingStage)) {
            problems.add("pendingStage: must differ from activeStage");
        }
        Set<String> substatuses = Set.of("Won", "Lost", "Declined", "Expired");
        closedStages.forEach((substatus, stage) -> {
            if (!substatuses.contains(substatus)) {
                problems.add("closedStages." + substatus + ": not a closed substatus (Won, Lost, Declined, Expired)");
            } else if (blank(stage)) {
                problems.add("closedStages." + substatus + ": empty stage name");
            } else if (stage.equals(activeStage) || stage.equals(pendingStage)) {
                problems.add("closedStages." + substatus + ": '" + stage + "' is also the active or pending stage");
            }
        });
        String won = closedStages.get("Won");
        closedStages.forEach((substatus, stage) -> {
            if (!"Won".equals(substatus) && stage != null && stage.equals(won)) {
                problems.add("closedStages." + substatus + ": '" + stage + "' is the won stage too");
            }
        });
        if (!referralLink.startsWith("https://") || referralLink.replace("{id}", "").matches(".*[{}\\s].*")) {
            problems.add("referralLink: must be an https:// address whose only placeholder is {id}");
        }
        field("countryCodeField", countryCodeField, "Account", problems);
        field("dealValueField", dealValueField, "Opportunity", problems);
        field("currencyField", currencyField, "Opportunity", problems);
        Set<String> mapped = new HashSet<>();
        map.allRows().forEach(r -> mapped.add(r.salesforce()));
        mapped.add(AUDIT);
        fields.forEach((from, to) -> {
            if (!mapped.contains(from)) {
                problems.add("fields." + from + ": not a field of the field map");
            } else if (to == null || !to.startsWith(from.substring(0, from.indexOf('.') + 1))
                    || to.length() <= from.indexOf('.') + 1) {
                problems.add("fields." + from + ": must name a field of the same object (" + from.substring(0,
                        from.indexOf('.')) + ".<Field>)");
            }
        });
        owners.forEach((field, owner) -> {
            if (!mapped.contains(field)) {
                problems.add("owners." + field + ": not a field of the field map");
            } else if (owner == null) {
                problems.add("owners." + field + ": one of partner-center, salesforce, latest, "
                        + "never-overwrite-inbound");
            }
        });
        for (FieldRow row : map.allRows()) {
            if (row.transform() == Transform.PICKLIST && !picklists.containsKey(row.picklist())) {
                problems.add("picklists." + row.picklist() + ": missing (used by " + row.salesforce() + ")");
            }
        }
        picklists.forEach((name, values) -> {
            if (values == null || values.isEmpty()) {
                problems.add("picklists." + name + ": empty");
                return;
            }
            Set<String> targets = new HashSet<>();
            values.forEach((code, value) -> {
                if (blank(value)) {
                    problems.add("picklists." + name + "." + code + ": empty Salesforce value");
                } else if (!targets.add(value)) {
                    problems.add("picklists." + name + "." + code + ": '" + value
                            + "' is already the value of another code (the map must work both ways)");
                }
            });
        });
        defaults.forEach((field, value) -> {
            if (!mapped.contains(field)) {
                problems.add("defaults." + field + ": not a field of the field map");
            } else if (field.equals("Opportunity.CloseDate")) {
                try {
                    Period.parse(value);
                } catch (RuntimeException e) {
                    problems.add("defaults." + field + ": '" + value + "' is not an ISO period such as P90D");
                }
            }
        });
        for (String field : accountMatch) {
            if (!field.startsWith("Account.") || !mapped.contains(field)) {
                problems.add("accountMatch: '" + field + "' is not a mapped Account field");
            }
        }
        if (accountMatch.isEmpty()) {
            problems.add("accountMatch: at least one field");
        }
        return problems;
    }

    private static void field(String key, String value, String object, List<String> problems) {
        if (value == null || !value.matches(object + "\\.[A-Za-z][A-Za-z0-9_]*")) {
            problems.add(key + ": '" + value + "' must be an " + object + " field (" + object + ".<Field>)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
