package io.cosellsync.mapping;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Mapping files as an operator could get them wrong: any text, and every setting with a value of any shape. Each is
 * read or refused as a {@link MappingConfigException} naming the problem (a service then stops at startup saying
 * why) — never another exception.
 */
class MappingFileFuzzTest {

    private static void readOrRefused(String yaml) {
        try {
            TenantMappings.parse(yaml, "fuzz.yaml", FieldMap.standard());
        } catch (MappingConfigException e) {
            // refused, with the problems named
        }
    }

    @Property(tries = 200)
    void anyText(@ForAll String yaml) {
        readOrRefused(yaml);
    }

    @Property(tries = 500)
    void anySettingWithAValueOfAnyShape(@ForAll("settings") Map<String, String> settings) {
        StringBuilder yaml = new StringBuilder();
        settings.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        readOrRefused(yaml.toString());
    }

    @Provide
    Arbitrary<Map<String, String>> settings() {
        Arbitrary<String> keys = Arbitraries.of("checkMark", "activeStage", "pendingStage", "countryCodeField",
                "dealValueField", "currencyField", "coSellOnly", "closedStages", "picklists", "fields", "owners",
                "defaults", "accountMatch", "referralLink", "unknownSetting");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("null", "~", "true", "42", "-1.5", "''", "[]", "{}", "[a, b]", "{a: b}",
                        "{Opportunity.Amount: latest}", "{Opportunity.Amount: nobody}", "{Opportunity.Name: [x]}",
                        "{Contact.LastName: ''}", "[Name, BillingCountry]", "[Nope__c]",
                        "{Opportunity.Referral_Identifier__c: Opportunity.X__c}", "{Won: Closed Won}",
                        "{details.status: {a: b}}", "https://example.com/{id}", "'{unclosed'", "!!binary AAAA",
                        "&a [*a]", "{Opportunity.CloseDate: P90D}", "{Opportunity.CloseDate: not-a-period}"),
                Arbitraries.strings().ofMaxLength(20).map(s -> "'" + s.replace("'", "''") + "'"));
        return Arbitraries.maps(keys, values).ofMaxSize(5);
    }
}
