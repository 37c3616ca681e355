package io.cosellsync.ingress.salesforce.cdc;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Pub/Sub payloads (raw Avro binary datums) with the schema each event names, fetched once per schema id
 * ({@code GetSchema}) — a schema changes when fields are added, so an event is never decoded with another's.
 */
public final class ChangeEventDecoder {

    private final Function<String, String> schemaJson;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** @param schemaJson the Avro schema JSON for a schema id (the Pub/Sub API's GetSchema) */
    public ChangeEventDecoder(Function<String, String> schemaJson) {
        this.schemaJson = schemaJson;
    }

    /** An event whose payload or header cannot be read against its schema: dead-lettered, never retried. */
    public static final class Malformed extends IOException {
        public Malformed(String message) {
            super(message);
        }
    }

    /**
     * The event. The schema is fetched by id (a failure to fetch it propagates: Salesforce unavailable); a payload
     * that is not the schema's Avro, or whose header is incomplete or names fields the schema lacks, is
     * {@link Malformed}.
     */
    public ChangeEvent decode(String schemaId, byte[] payload) throws IOException {
        Schema schema = schemas.computeIfAbsent(schemaId, id -> new Schema.Parser().parse(schemaJson.apply(id)));
        try {
            return read(schema, payload);
        } catch (IOException | RuntimeException e) {
            throw new Malformed("change event of schema " + schemaId + " not readable: " + e.getClass()
                    .getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private ChangeEvent read(Schema schema, byte[] payload) throws IOException {
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(payload, null));
        GenericRecord header = (GenericRecord) record.get("ChangeEventHeader");
        Map<String, Object> values = new LinkedHashMap<>();
        for (Schema.Field field : schema.getFields()) {
            Object value = record.get(field.pos());
            if (field.pos() == 0 || value == null) {
                continue;
            }
            if (value instanceof GenericRecord compound) {
                for (Schema.Field part : compound.getSchema().getFields()) {
                    Object partValue = compound.get(part.pos());
                    if (partValue != null) {
                        values.put(field.name() + "." + part.name(), plain(partValue));
                    }
                }
            } else {
                values.put(field.name(), plain(value));
            }
        }
        return new ChangeEvent(text(header.get("entityName")), texts(header.get("recordIds")),
                text(header.get("changeType")), text(header.get("changeOrigin")), text(header.get("transactionKey")),
                (Integer) header.get("sequenceNumber"), Instant.ofEpochMilli((Long) header.get("commitTimestamp")),
                text(header.get("commitUser")), fieldNames(schema, texts(header.get("changedFields"))),
                fieldNames(schema, texts(header.get("nulledFields"))),
                fieldNames(schema, texts(header.get("diffFields"))), values);
    }

    /**
     * Reads a bitmap field (salesforce-api.md §3.5): element 0 ({@code 0x…}) sets bit i for top-level schema field
     * i; an element {@code "<i>-0x…"} sets bits over the parts of the compound field at position i.
     */
    static Set<String> fieldNames(Schema schema, List<String> bitmap) {
        Set<String> names = new LinkedHashSet<>();
        for (String element : bitmap) {
            int dash = element.indexOf('-');
            if (dash < 0) {
                names.addAll(bits(schema, element, ""));
            } else {
                Schema.Field parent = schema.getFields().get(Integer.parseInt(element.substring(0, dash)));
                Schema parts = parent.schema().getType() == Schema.Type.UNION
                        ? parent.schema().getTypes().stream().filter(t -> t.getType() == Schema.Type.RECORD)
                                .findFirst().orElseThrow() : parent.schema();
                names.addAll(bits(parts, element.substring(dash + 1), parent.name() + "."));
            }
        }
        return names;
    }

    private static List<String> bits(Schema record, String hex, String prefix) {
        if (!hex.startsWith("0x")) {
            throw new IllegalArgumentException("not a bitmap: " + hex);
        }
        BigInteger bits = new BigInteger(hex.substring(2), 16);
        List<String> names = new ArrayList<>();
        for (int i = bits.getLowestSetBit(); i >= 0 && i < bits.bitLength(); i++) {
            if (bits.testBit(i)) {
                names.add(prefix + record.getFields().get(i).name());
            }
        }
        return names;
    }

    private static Object plain(Object avro) {
        return avro instanceof CharSequence || avro instanceof org.apache.avro.generic.GenericEnumSymbol<?>
                ? avro.toString() : avro;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static List<String> texts(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> items) {
            items.forEach(i -> out.add(i.toString()));
        }
        return out;
    }
}
