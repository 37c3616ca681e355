package io.cosellsync.simulator.salesforce.cdc;

import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;

/**
 * The Avro schema of one object's change events ({@code OpportunityChangeEvent}, {@code Microsoft_Solution__ChangeEvent})
 * as the Pub/Sub API publishes it: the {@code ChangeEventHeader} record first, then the object's fields in describe
 * order — without {@code IsDeleted} and {@code SystemModstamp} — each nullable; compound fields as nested records
 * (a contact's {@code Name}, {@code BillingAddress}, {@code MailingAddress}). Dates and datetimes are epoch
 * milliseconds. Its id is derived from the schema text, so a schema that changes (a field added) gets a new id.
 */
public final class ChangeEventSchema {

    public static final String NAMESPACE = "com.sforce.eventbus";
    public static final List<String> CHANGE_TYPES = List.of("CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE",
            "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW", "SNAPSHOT");
    private static final Set<String> LEFT_OUT = Set.of("IsDeleted", "SystemModstamp");

    /** Where a field of the object lives in the event: a top-level field, or a part of a compound one. */
    record Slot(int top, String compound, int part, String partName) {
    }

    private final String entity;
    private final Schema schema;
    private final String json;
    private final String id;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Set<String> longText = new java.util.HashSet<>();

    private ChangeEventSchema(SObjectType type) {
        this.entity = type.name();
        Map<String, List<String[]>> compounds = new LinkedHashMap<>(); // compound name -> [field, part]
        List<Object> order = new ArrayList<>(); // Field, or compound name (at its first part's position)
        for (Field field : type.fields()) {
            if (LEFT_OUT.contains(field.name())) {
                continue;
            }
            String[] compound = compoundOf(type.name(), field.name());
            if (compound == null) {
                if (!(type.name().equals("Contact") && field.name().equals("Name"))) {
                    order.add(field);
                }
                continue;
            }
            if (!compounds.containsKey(compound[0])) {
                order.add(compound[0]);
            }
            compounds.computeIfAbsent(compound[0], k -> new ArrayList<>()).add(new String[] {field.name(),
                    compound[1]});
        }
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(eventName(type.name()))
                .namespace(NAMESPACE).fields().name("ChangeEventHeader").type(header()).noDefault();
        int index = 1;
        for (Object item : order) {
            if (item instanceof Field field) {
                fields = fields.name(field.name()).type(nullable(avroType(field))).withDefault(null);
                if (field.type() == io.cosellsync.simulator.salesforce.schema.FieldType.TEXTAREA
                        && field.length() > 255) {
                    longText.add(field.name());
                }
                slots.put(field.name(), new Slot(index, null, -1, null));
            } else {
                String compound = (String) item;
                SchemaBuilder.FieldAssembler<Schema> parts = SchemaBuilder.record(compound).namespace(NAMESPACE)
                        .fields();
                int part = 0;
                for (String[] p : compounds.get(compound)) {
                    Field field = type.field(p[0]).orElseThrow();
                    parts = parts.name(p[1]).type(nullable(avroType(field))).withDefault(null);
                    slots.put(p[0], new Slot(index, compound, part++, p[1]));
                }
                fields = fields.name(compound).type(nullable(parts.endRecord())).withDefault(null);
            }
            index++;
        }
        this.schema = fields.endRecord();
        this.json = schema.toString();
        this.id = idOf(json);
    }

    public static ChangeEventSchema of(SObjectType type) {
        return new ChangeEventSchema(type);
    }

    /** {@code Opportunity} → {@code OpportunityChangeEvent}; {@code Foo__c} → {@code Foo__ChangeEvent}. */
    public static String eventName(String entity) {
        return entity.endsWith("__c") ? entity.substring(0, entity.length() - 1) + "ChangeEvent"
                : entity + "ChangeEvent";
    }

    public String entity() {
        return entity;
    }

    public Schema schema() {
        return schema;
    }

    public String json() {
        return json;
    }

    public String id() {
        return id;
    }

    /** A long text area: sent as a diff when an update makes it long. */
    boolean longText(String field) {
        return longText.contains(field);
    }

    /** The event body for these field values (others stay null); values as the simulator stores them. */
    GenericData.Record body(Map<String, Object> values) {
        GenericData.Record record = new GenericData.Record(schema);
        values.forEach((name, value) -> {
            Slot slot = slots.get(name);
            if (slot == null || value == null) {
                return;
            }
            Schema.Field top = schema.getFields().get(slot.top());
            if (slot.compound() == null) {
                record.put(slot.top(), avroValue(value, top.schema()));
            } else {
                GenericData.Record compound = (GenericData.Record) record.get(slot.top());
                if (compound == null) {
                    compound = new GenericData.Record(nonNull(top.schema()));
                    record.put(slot.top(), compound);
                }
                compound.put(slot.part(), avroValue(value, compound.getSchema().getFields().get(slot.part())
                        .schema()));
            }
        });
        return record;
    }

    /**
     * The Pub/Sub bitmap of these object fields (salesforce-api.md §3.5): element 0 a hex bitmap over top-level
     * schema fields, then {@code "<index>-0x…"} over the parts of each compound field with changed parts.
     */
    List<String> bitmap(Collection<String> fieldNames) {
        java.math.BigInteger top = java.math.BigInteger.ZERO;
        Map<Integer, java.math.BigInteger> parts = new java.util.TreeMap<>();
        for (String name : fieldNames) {
            Slot slot = slots.get(name);
            if (slot == null) {
                continue;
            }
            if (slot.compound() == null) {
                top = top.setBit(slot.top());
            } else {
                parts.merge(slot.top(), java.math.BigInteger.ZERO.setBit(slot.part()), java.math.BigInteger::or);
            }
        }
        List<String> bitmap = new ArrayList<>();
        if (top.signum() == 0 && parts.isEmpty()) {
            return bitmap;
        }
        bitmap.add("0x" + top.toString(16).toUpperCase(java.util.Locale.ROOT));
        parts.forEach((index, bits) -> bitmap.add(index + "-0x" + bits.toString(16).toUpperCase(
                java.util.Locale.ROOT)));
        return bitmap;
    }

    /**
     * Reads a Pub/Sub bitmap back into field names with the schema of the event it came with: top-level fields by
     * name, parts of compound fields as {@code Compound.Part} (e.g. {@code BillingAddress.City}).
     */
    public static List<String> fieldNames(Schema schema, List<? extends CharSequence> bitmap) {
        List<String> names = new ArrayList<>();
        for (CharSequence element : bitmap) {
            String text = element.toString();
            if (text.startsWith("0x")) {
                java.math.BigInteger bits = new java.math.BigInteger(text.substring(2), 16);
                for (int i = 0; i < bits.bitLength(); i++) {
                    if (bits.testBit(i)) {
                        names.add(schema.getFields().get(i).name());
                    }
                }
            } else {
                int dash = text.indexOf("-0x");
                Schema.Field parent = schema.getFields().get(Integer.parseInt(text.substring(0, dash)));
                Schema parts = nonNull(parent.schema());
                java.math.BigInteger bits = new java.math.BigInteger(text.substring(dash + 3), 16);
                for (int i = 0; i < bits.bitLength(); i++) {
                    if (bits.testBit(i)) {
                        names.add(parent.name() + "." + parts.getFields().get(i).name());
                    }
                }
            }
        }
        return names;
    }

    /** The header record's schema, shared by every object's event. */
    static Schema header() {
        Schema strings = SchemaBuilder.array().items().stringType();
        return SchemaBuilder.record("ChangeEventHeader").namespace(NAMESPACE).fields()
                .requiredString("entityName")
                .name("recordIds").type(strings).noDefault()
                .name("changeType").type(SchemaBuilder.enumeration("ChangeType").namespace(NAMESPACE)
                        .symbols(CHANGE_TYPES.toArray(String[]::new))).noDefault()
                .optionalString("changeOrigin")
                .requiredString("transactionKey")
                .name("sequenceNumber").type().intType().noDefault()
                .name("commitTimestamp").type().longType().noDefault()
                .name("commitNumber").type().longType().noDefault()
                .requiredString("commitUser")
                .name("nulledFields").type(strings).noDefault()
                .name("diffFields").type(strings).noDefault()
                .name("changedFields").type(strings).noDefault()
                .endRecord();
    }

    /** Salesforce's compound fields: [compound name, part name], or null for a plain field. */
    private static String[] compoundOf(String entity, String field) {
        if ((entity.equals("Contact") || entity.equals("Lead"))
                && Set.of("Salutation", "FirstName", "LastName").contains(field)) {
            return new String[] {"Name", field};
        }
        for (String prefix : List.of("Billing", "Shipping", "Mailing", "Other")) {
            for (String part : List.of("Street", "City", "State", "PostalCode", "Country", "Latitude",
                    "Longitude", "GeocodeAccuracy")) {
                if (field.equals(prefix + part)) {
                    return new String[] {prefix + "Address", part};
                }
            }
        }
        return null;
    }

    private static Schema avroType(Field field) {
        return switch (field.type()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case DATE, DATETIME -> Schema.create(Schema.Type.LONG);
            case CURRENCY, PERCENT, DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case INT -> Schema.create(Schema.Type.INT);
            default -> Schema.create(Schema.Type.STRING);
        };
    }

    private static Schema nullable(Schema type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    }

    private static Schema nonNull(Schema union) {
        return union.getType() == Schema.Type.UNION ? union.getTypes().get(1) : union;
    }

    private static Object avroValue(Object value, Schema fieldSchema) {
        Schema.Type type = nonNull(fieldSchema).getType();
        return switch (type) {
            case LONG -> value instanceof Instant i ? i.toEpochMilli()
                    : value instanceof LocalDate d ? d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                    : ((Number) value).longValue();
            case DOUBLE -> value instanceof BigDecimal b ? b.doubleValue() : ((Number) value).doubleValue();
            case INT -> ((Number) value).intValue();
            case BOOLEAN -> value;
            default -> value.toString();
        };
    }

    private static String idOf(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
