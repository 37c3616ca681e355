package io.cosellsync.ingress.salesforce.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Decoding change events as Salesforce documents them, from payloads written here with a schema shaped like
 * Salesforce's (header first, nullable fields, a compound address): independent of the simulator's encoder.
 */
class ChangeEventDecoderTest {

    static final String SCHEMA = """
            {"type": "record", "name": "AccountChangeEvent", "namespace": "com.sforce.eventbus", "fields": [
              {"name": "ChangeEventHeader", "type": {"type": "record", "name": "ChangeEventHeader", "fields": [
                {"name": "entityName", "type": "string"},
                {"name": "recordIds", "type": {"type": "array", "items": "string"}},
                {"name": "changeType", "type": {"type": "enum", "name": "ChangeType", "symbols": ["CREATE",
                  "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE",
                  "GAP_OVERFLOW", "SNAPSHOT"]}},
                {"name": "changeOrigin", "type": ["null", "string"], "default": null},
                {"name": "transactionKey", "type": "string"},
                {"name": "sequenceNumber", "type": "int"},
                {"name": "commitTimestamp", "type": "long"},
                {"name": "commitNumber", "type": "long"},
                {"name": "commitUser", "type": "string"},
                {"name": "nulledFields", "type": {"type": "array", "items": "string"}},
                {"name": "diffFields", "type": {"type": "array", "items": "string"}},
                {"name": "changedFields", "type": {"type": "array", "items": "string"}}]}},
              {"name": "Name", "type": ["null", "string"], "default": null},
              {"name": "Industry", "type": ["null", "string"], "default": null},
              {"name": "BillingAddress", "type": ["null", {"type": "record", "name": "Address", "fields": [
                {"name": "Street", "type": ["null", "string"], "default": null},
                {"name": "City", "type": ["null", "string"], "default": null},
                {"name": "Country", "type": ["null", "string"], "default": null}]}], "default": null},
              {"name": "AnnualRevenue", "type": ["null", "double"], "default": null},
              {"name": "LastModifiedDate", "type": ["null", "long"], "default": null}]}
            """;
    private static final Schema PARSED = new Schema.Parser().parse(SCHEMA);

    static byte[] payload(String type, List<String> ids, List<String> changed, List<String> nulled,
            Map<String, Object> values) throws Exception {
        GenericData.Record header = new GenericData.Record(PARSED.getField("ChangeEventHeader").schema());
        header.put("entityName", "Account");
        header.put("recordIds", ids);
        header.put("changeType", new GenericData.EnumSymbol(header.getSchema().getField("changeType").schema(),
                type));
        header.put("changeOrigin", "com/salesforce/api/rest/62.0;client=cosell-sync");
        header.put("transactionKey", "0000654a-aaaa");
        header.put("sequenceNumber", 2);
        header.put("commitTimestamp", 1_714_149_392_000L);
        header.put("commitNumber", 1_100_583_868_458L);
        header.put("commitUser", "0055f000005mc66AAA");
        header.put("nulledFields", nulled);
        header.put("diffFields", List.of());
        header.put("changedFields", changed);
        GenericData.Record body = new GenericData.Record(PARSED);
        body.put("ChangeEventHeader", header);
        values.forEach(body::put);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(PARSED).write(body, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void anUpdateIsReadWithItsChangedAndNulledFieldsByName() throws Exception {
        GenericData.Record address = new GenericData.Record(PARSED.getField("BillingAddress").schema().getTypes()
                .get(1));
        address.put("City", "Berlin");
        // Industry (2), BillingAddress (3), LastModifiedDate (5) → 0b101100 = 0x2C; City is part 1 of field 3;
        // AnnualRevenue (4) set to null
        byte[] bytes = payload("UPDATE", List.of("001A"), List.of("0x2C", "3-0x02"), List.of("0x10"),
                Map.of("Industry", "Energy", "BillingAddress", address, "LastModifiedDate", 1_714_149_392_000L));
        AtomicInteger fetched = new AtomicInteger();
        ChangeEventDecoder decoder = new ChangeEventDecoder(id -> {
            fetched.incrementAndGet();
            return SCHEMA;
        });
        ChangeEvent event = decoder.decode("schema-1", bytes);
        assertEquals("Account", event.entity());
        assertEquals(List.of("001A"), event.recordIds());
        assertEquals("UPDATE", event.changeType());
        assertEquals(2, event.sequenceNumber());
        assertEquals(Instant.ofEpochMilli(1_714_149_392_000L), event.commitTimestamp());
        assertEquals(Set.of("Industry", "BillingAddress", "LastModifiedDate", "BillingAddress.City"),
                event.changedFields());
        assertEquals(Set.of("AnnualRevenue"), event.nulledFields());
        assertEquals(Map.of("Industry", "Energy", "BillingAddress.City", "Berlin", "LastModifiedDate",
                1_714_149_392_000L), event.values());
        decoder.decode("schema-1", bytes);
        assertEquals(1, fetched.get(), "a schema is fetched once per id");
    }

    @Test
    void gapAndOverflowEventsAskForTheRecordsToBeReadAgain() throws Exception {
        ChangeEventDecoder decoder = new ChangeEventDecoder(id -> SCHEMA);
        ChangeEvent gap = decoder.decode("s", payload("GAP_UPDATE", List.of("001A", "001B"), List.of(), List.of(),
                Map.of()));
        assertTrue(gap.isGap());
        assertFalse(gap.isOverflow());
        assertEquals(List.of("001A", "001B"), gap.recordIds());
        assertEquals(Map.of(), gap.values());
        ChangeEvent overflow = decoder.decode("s", payload("GAP_OVERFLOW", List.of(), List.of(), List.of(),
                Map.of()));
        assertTrue(overflow.isGap() && overflow.isOverflow());
        assertFalse(decoder.decode("s", payload("CREATE", List.of("001C"), List.of(), List.of(),
                Map.of("Name", "Fabrikam"))).isGap());
    }

    @Test
    void ourOwnWritesAreRecognisedByClientIdAndIntegrationUserTogether() throws Exception {
        ChangeEvent event = new ChangeEventDecoder(id -> SCHEMA).decode("s", payload("UPDATE", List.of("001A"),
                List.of(), List.of(), Map.of()));
        assertTrue(event.probablyOurs("cosell-sync", "0055f000005mc66AAA"));
        assertFalse(event.probablyOurs("cosell-sync", "005someoneelseAAA"), "another user in our origin");
        assertFalse(event.probablyOurs("another-client", "0055f000005mc66AAA"));
    }

    @Test
    void aBitmapOfManyFieldsReadsEveryBit() {
        // all six top-level fields: 0x3F; the header is position 0
        assertEquals(Set.of("ChangeEventHeader", "Name", "Industry", "BillingAddress", "AnnualRevenue",
                "LastModifiedDate"), ChangeEventDecoder.fieldNames(PARSED, List.of("0x3F")));
        assertEquals(Set.of("BillingAddress.Street", "BillingAddress.Country"),
                ChangeEventDecoder.fieldNames(PARSED, List.of("3-0x5")));
        assertEquals(Set.of(), ChangeEventDecoder.fieldNames(PARSED, List.of()));
    }
}
