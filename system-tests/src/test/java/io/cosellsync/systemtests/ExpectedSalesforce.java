package io.cosellsync.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.mapping.CollectionRow;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.FieldRow;
import io.cosellsync.mapping.SalesforceImage;
import io.cosellsync.mapping.TenantMappings;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Salesforce must hold for a referral, read off the field map: the tenant's mapper (the run command's mapping
 * file) computes the expected image, and these checks compare it, row by row of the map, to what SOQL returns.
 */
final class ExpectedSalesforce {

    private final FieldMapper mapper;

    private ExpectedSalesforce(FieldMapper mapper) {
        this.mapper = mapper;
    }

    /** The tenant's mapping as the run command configures it ({@code deploy/local/mappings/<tenant>.yaml}). */
    static ExpectedSalesforce of(String tenant) throws IOException {
        return new ExpectedSalesforce(new FieldMapper(FieldMap.standard(), TenantMappings.read(
                Processes.ROOT.resolve("deploy/local/mappings/" + tenant + ".yaml"), FieldMap.standard())));
    }

    FieldMapper mapper() {
        return mapper;
    }

    String field(String defaultName) {
        return mapper.tenant().fieldName(defaultName);
    }

    /** The select list of an Opportunity query that returns every row of the map (account rows by relationship). */
    String opportunityColumns() {
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "AccountId"));
        for (FieldRow row : mapper.map().fields()) {
            String field = field(row.salesforce());
            fields.add(row.object().equals("Opportunity") ? field : row.object() + "." + field);
        }
        return String.join(", ", fields);
    }

    SalesforceImage image(JsonNode referral) {
        return mapper.toSalesforce(referral);
    }

    /**
     * Asserts every row of the map bound for Salesforce on one opportunity (as {@link #opportunityColumns} selects
     * it); the name carries the check mark where the tenant has them.
     *
     * @return the rows whose expected value is empty
     */
    List<String> assertOpportunity(String label, SalesforceImage expected, JsonNode opportunity) {
        List<String> empty = new ArrayList<>();
        for (FieldRow row : mapper.map().fields()) {
            if (!row.direction().toSalesforce()) {
                continue;
            }
            String field = field(row.salesforce());
            Object want = expected.record(row.object()).get(field);
            JsonNode got = row.object().equals("Opportunity") ? opportunity.path(field)
                    : opportunity.path(row.object()).path(field);
            if (want == null) {
                empty.add(row.salesforce());
            }
            if (row.salesforce().equals("Opportunity.Name") && mapper.tenant().checkMark()) {
                assertEquals(want + " ✔", got.asText(), label + ": " + row.label() + ", with the check mark");
            } else {
                assertSameValue(label + ": " + row.label(), want, got);
            }
        }
        return empty;
    }

    /**
     * Asserts every row of the map bound for Partner Center on one referral: read back in Salesforce's terms, it
     * holds the opportunity's values (as {@link #opportunityColumns} selects them; the name without its mark). The
     * stage is not compared here: an open stage is "Active" in Partner Center, whichever it is.
     */
    void assertReferral(String label, JsonNode referral, JsonNode opportunity) {
        SalesforceImage fromReferral = mapper.toSalesforce(referral);
        for (FieldRow row : mapper.map().fields()) {
            if (!row.direction().toPartnerCenter() || row.salesforce().equals("Opportunity.StageName")) {
                continue;
            }
            String field = field(row.salesforce());
            JsonNode want = row.object().equals("Opportunity") ? opportunity.path(field)
                    : opportunity.path(row.object()).path(field);
            if (row.salesforce().equals("Opportunity.Name")) {
                want = com.fasterxml.jackson.databind.node.TextNode.valueOf(want.asText().replaceAll(" [✔✖]$", ""));
            }
            assertSameValue(label + ": " + row.label(), fromReferral.record(row.object()).get(field), want);
        }
    }

    /** The items of a collection a referral holds, in Salesforce's terms. */
    List<Map<String, Object>> referralItems(JsonNode referral, CollectionRow c) {
        return mapper.toSalesforce(referral).collection(c.salesforce());
    }

    /**
     * Asserts one collection of one opportunity: as many records as the referral has items, each with the item's
     * values (a seller is a Salesforce user: only the e-mail finds them, name and title are the user's own). Both
     * sides are compared in the order of the match field.
     */
    void assertCollection(String label, CollectionRow c, List<Map<String, Object>> want, List<JsonNode> got) {
        assertEquals(want.size(), got.size(), label + ": " + c.partnerCenter() + " count");
        String match = c.match();
        List<Map<String, Object>> wantSorted = want.stream().sorted(Comparator.comparing(
                m -> String.valueOf(m.get(match)).toLowerCase())).toList();
        List<JsonNode> gotSorted = got.stream().sorted(Comparator.comparing(
                n -> n.path(match).asText().toLowerCase())).toList();
        for (int i = 0; i < wantSorted.size(); i++) {
            for (FieldRow row : c.fields()) {
                String field = field(row.salesforce());
                if (c.salesforce().equals("User") && !field.equals(match)) {
                    continue;
                }
                assertSameValue(label + ": " + c.partnerCenter() + "[" + i + "]: " + row.label(),
                        wantSorted.get(i).get(field), gotSorted.get(i).path(field));
            }
        }
    }

    static void assertSameValue(String label, Object want, JsonNode got) {
        if (want == null) {
            assertTrue(got == null || got.isNull() || got.isMissingNode(), label + ": expected empty, got " + got);
        } else if (want instanceof BigDecimal d) {
            assertEquals(0, d.compareTo(got.decimalValue()), label + ": " + want + " vs " + got);
        } else if (want instanceof Boolean b) {
            assertEquals(b, got.asBoolean(), label);
        } else {
            assertEquals(want.toString(), got.asText(), label);
        }
    }
}
