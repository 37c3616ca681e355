package io.cosellsync.simulator.salesforce.org;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * How one org is set up, where partners' orgs differ: the two extra opportunity stages a co-sell admin adds
 * (pending and active), which {@code Object.Field} pairs are external ids (unique, or not: an upsert on those can
 * match several rows), multi-currency and its
 * currencies, and the daily API allocation. Read from {@code salesforce-sim.orgs.<tenant>.*}; changed at runtime
 * through the control API; a reset returns to the configured values.
 *
 * <p>And how an admin may have set it up wrong, so that a preflight has something to find: objects selected for
 * Change Data Capture ({@code changeDataCapture}, null for the simulator's default selection), fields the org lacks
 * (not deployed, or hidden from the integration user by field-level security), fields the integration user may only
 * read, and fields whose type differs ({@code Object.Field → describe type}).
 */
public record OrgSettings(String pendingStage, String activeStage, List<String> externalIdFields,
        List<String> nonUniqueExternalIdFields, boolean multiCurrency, List<String> currencies, long dailyApiRequests,
        List<String> changeDataCapture, List<String> withoutFields, List<String> readOnlyFields,
        Map<String, String> fieldTypes) {

    public static final String DEFAULT_EXTERNAL_IDS = "Opportunity.Referral_Identifier__c";

    public OrgSettings {
        if (pendingStage == null || pendingStage.isBlank() || activeStage == null || activeStage.isBlank()) {
            throw new IllegalArgumentException("pendingStage and activeStage are required");
        }
        externalIdFields = List.copyOf(externalIdFields);
        nonUniqueExternalIdFields = List.copyOf(nonUniqueExternalIdFields);
        for (String field : java.util.stream.Stream.concat(externalIdFields.stream(),
                nonUniqueExternalIdFields.stream()).toList()) {
            if (!field.matches("[A-Za-z][A-Za-z0-9_]*\\.[A-Za-z][A-Za-z0-9_]*__c")) {
                throw new IllegalArgumentException("external id '" + field
                        + "' must be Object.Field with a custom (__c) field");
            }
        }
        currencies = List.copyOf(currencies);
        if (multiCurrency && currencies.isEmpty()) {
            throw new IllegalArgumentException("a multi-currency org needs at least one currency");
        }
        if (dailyApiRequests < 1) {
            throw new IllegalArgumentException("dailyApiRequests must be positive");
        }
        changeDataCapture = changeDataCapture == null ? null : List.copyOf(changeDataCapture);
        withoutFields = withoutFields == null ? List.of() : List.copyOf(withoutFields);
        readOnlyFields = readOnlyFields == null ? List.of() : List.copyOf(readOnlyFields);
        fieldTypes = fieldTypes == null ? Map.of() : Map.copyOf(fieldTypes);
    }

    /** An org set up as the package wants it. */
    public OrgSettings(String pendingStage, String activeStage, List<String> externalIdFields,
            List<String> nonUniqueExternalIdFields, boolean multiCurrency, List<String> currencies,
            long dailyApiRequests) {
        this(pendingStage, activeStage, externalIdFields, nonUniqueExternalIdFields, multiCurrency, currencies,
                dailyApiRequests, null, List.of(), List.of(), Map.of());
    }

    /** The org's corporate currency: the first one listed. */
    public String corporateCurrency() {
        return currencies.isEmpty() ? "USD" : currencies.get(0);
    }

    public static OrgSettings fromConfig(Config config, String tenant) {
        String prefix = "salesforce-sim.orgs." + tenant + ".";
        return new OrgSettings(
                config.getOptionalValue(prefix + "pending-stage", String.class).orElse("Co-sell Pending"),
                config.getOptionalValue(prefix + "active-stage", String.class).orElse("Co-sell Active"),
                list(config.getOptionalValue(prefix + "external-ids", String.class)
                        .orElse(DEFAULT_EXTERNAL_IDS)),
                list(config.getOptionalValue(prefix + "non-unique-external-ids", String.class).orElse("")),
                config.getOptionalValue(prefix + "multi-currency", Boolean.class).orElse(true),
                list(config.getOptionalValue(prefix + "currencies", String.class)
                        .orElse("USD,EUR,GBP,JPY,AUD,CAD,INR,CHF")),
                config.getOptionalValue(prefix + "daily-api-requests", Long.class).orElse(15_000L),
                config.getOptionalValue(prefix + "change-data-capture", String.class).map(OrgSettings::list)
                        .orElse(null),
                List.of(), List.of(), Map.of());
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

}
