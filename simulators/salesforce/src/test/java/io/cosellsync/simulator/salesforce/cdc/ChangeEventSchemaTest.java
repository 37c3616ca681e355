package io.cosellsync.simulator.salesforce.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.simulator.salesforce.org.OrgSettings;
import io.cosellsync.simulator.salesforce.schema.OrgSchema;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Change event schemas and the bitmap encoding of changed/nulled fields, without the server. */
class ChangeEventSchemaTest {

    private static final OrgSchema ORG = new OrgSchema(new OrgSettings("Co-sell Pending", "Co-sell Active",
            List.of(OrgSettings.DEFAULT_EXTERNAL_IDS), List.of(), true, List.of("USD"), 15_000));

    private static ChangeEventSchema of(String object) {
        return ChangeEventSchema.of(ORG.type(object).orElseThrow());
    }

    @Test
    void theHeaderComesFirstAndSystemFieldsThatCdcLeavesOutAreMissing() {
        Schema schema = of("Opportunity").schema();
        assertEquals("com.sforce.eventbus.OpportunityChangeEvent", schema.getFullName());
        assertEquals("ChangeEventHeader", schema.getFields().get(0).name());
        assertTrue(schema.getField("StageName") != null && schema.getField("Amount") != null);
        assertEquals(null, schema.getField("IsDeleted"));
        assertEquals(null, schema.getField("SystemModstamp"));
        assertEquals("Microsoft_Solution__ChangeEvent", ChangeEventSchema.eventName("Microsoft_Solution__c"));
    }

    @Test
    void compoundFieldsAreNestedRecords() {
        Schema contact = of("Contact").schema();
        Schema name = contact.getField("Name").schema().getTypes().get(1);
        assertEquals(List.of("Salutation", "FirstName", "LastName"), name.getFields().stream().map(Schema.Field::name)
                .toList());
        assertEquals(null, contact.getField("FirstName"));
        Schema address = of("Account").schema().getField("BillingAddress").schema().getTypes().get(1);
        assertTrue(address.getField("City") != null && address.getField("Country") != null);
    }

    @Test
    void aBitmapNamesTheSchemaPositionsOfItsFields() {
        ChangeEventSchema opportunity = of("Opportunity");
        int stage = opportunity.schema().getField("StageName").pos();
        List<String> bitmap = opportunity.bitmap(List.of("StageName"));
        assertEquals(List.of("0x" + java.math.BigInteger.ONE.shiftLeft(stage).toString(16).toUpperCase()), bitmap);
        assertEquals(List.of(), opportunity.bitmap(List.of()));
        // a part of a compound field: "<index>-0x<bits>" over the compound's own fields
        ChangeEventSchema account = of("Account");
        int billing = account.schema().getField("BillingAddress").pos();
        List<String> city = account.bitmap(List.of("BillingCity", "Name"));
        assertEquals(2, city.size());
        assertTrue(city.get(1).startsWith(billing + "-0x"), city.toString());
        assertEquals(Set.of("Name", "BillingAddress.City"), Set.copyOf(ChangeEventSchema.fieldNames(account.schema(),
                city)));
    }

    @Test
    void anyFieldSetSurvivesEncodingAndDecoding() {
        Random random = new Random(7);
        for (String object : List.of("Account", "Contact", "Opportunity", "OpportunityContactRole",
                "Microsoft_Solution__c")) {
            SObjectType type = ORG.type(object).orElseThrow();
            ChangeEventSchema schema = ChangeEventSchema.of(type);
            List<String> fields = type.fields().stream().map(f -> f.name())
                    .filter(n -> !n.equals("IsDeleted") && !n.equals("SystemModstamp")
                            && !(object.equals("Contact") && n.equals("Name"))).toList();
            for (int round = 0; round < 200; round++) {
                Set<String> chosen = new HashSet<>();
                fields.forEach(f -> {
                    if (random.nextInt(4) == 0) {
                        chosen.add(f);
                    }
                });
                Set<String> expected = new HashSet<>();
                for (String f : chosen) {
                    expected.add(displayName(schema.schema(), f));
                }
                assertEquals(expected, Set.copyOf(ChangeEventSchema.fieldNames(schema.schema(),
                        schema.bitmap(chosen))), object + " " + chosen);
            }
        }
    }

    @Test
    void aSchemaIdFollowsTheSchemaText() {
        assertEquals(of("Opportunity").id(), of("Opportunity").id());
        assertNotEquals(of("Opportunity").id(), of("Account").id());
        assertFalse(of("Opportunity").id().isEmpty());
    }

    /** How a decoder names an object field: itself, or {@code Compound.Part} (Salesforce's compound fields). */
    private static String displayName(Schema schema, String field) {
        if (schema.getField(field) != null) {
            return field;
        }
        if (List.of("Salutation", "FirstName", "LastName").contains(field)) {
            return "Name." + field;
        }
        for (String prefix : List.of("Billing", "Shipping", "Mailing", "Other")) {
            if (field.startsWith(prefix)) {
                return prefix + "Address." + field.substring(prefix.length());
            }
        }
        throw new AssertionError(field + " is in no event field");
    }
}
