package io.cosellsync.simulator.salesforce.schema;

import io.cosellsync.simulator.salesforce.org.OrgSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The objects, stages and currencies of one org, built from the standard objects and the org's settings:
 * its extra co-sell stages, its external-id fields (added as unique text fields where the object lacks them) and
 * whether multi-currency is on (only then do objects carry {@code CurrencyIsoCode}).
 */
public final class OrgSchema {

    /** A parent's list of children, as describe's childRelationships and SOQL sub-queries name it. */
    public record ChildRelationship(String parent, String child, String field, String relationshipName,
            boolean cascadeDelete) {
    }

    private final Map<String, SObjectType> types = new LinkedHashMap<>();
    private final List<Stage> stages;
    private final List<ChildRelationship> children = new ArrayList<>();
    private final OrgSettings settings;

    public OrgSchema(OrgSettings settings) {
        this.settings = settings;
        this.stages = StandardObjects.stages(settings);
        for (SObjectType type : StandardObjects.types(settings, stages)) {
            types.put(type.name().toLowerCase(Locale.ROOT), type);
        }
        addExternalIds(settings.externalIdFields(), true);
        addExternalIds(settings.nonUniqueExternalIdFields(), false);
        misconfigure(settings);
        for (SObjectType type : types.values()) {
            for (Field field : type.fields()) {
                if (field.type() == FieldType.REFERENCE && field.relationshipName() != null) {
                    for (String parent : field.referenceTo()) {
                        String name = StandardObjects.childRelationshipName(parent, type.name(), field.name());
                        if (name != null) {
                            children.add(new ChildRelationship(parent, type.name(), field.name(), name,
                                    field.cascadeDelete() || StandardObjects.cascades(type.name(), field.name())));
                        }
                    }
                }
            }
        }
    }

    private void addExternalIds(List<String> qualifiedNames, boolean unique) {
        for (String qualified : qualifiedNames) {
            String[] parts = qualified.split("\\.");
            SObjectType type = type(parts[0]).orElseThrow(() -> new IllegalArgumentException(
                    "external id '" + qualified + "' names an unknown object"));
            Field field = type.field(parts[1]).orElseGet(() -> Field.text(parts[1],
                    parts[1].replace("__c", "").replace('_', ' '), 255));
            if (!field.type().isText() || !field.createable()) {
                throw new IllegalArgumentException("external id '" + qualified + "' must be a writable text field");
            }
            type.put(unique ? field.externalIdUnique() : field.externalIdNonUnique());
        }
    }

    /** The org's deviations from the package: absent, read-only and retyped fields. */
    private void misconfigure(OrgSettings settings) {
        for (String qualified : settings.withoutFields()) {
            SObjectType type = typeOf(qualified);
            type.remove(fieldOf(type, qualified).name());
        }
        for (String qualified : settings.readOnlyFields()) {
            SObjectType type = typeOf(qualified);
            type.put(fieldOf(type, qualified).withoutEditAccess());
        }
        settings.fieldTypes().forEach((qualified, describeType) -> {
            SObjectType type = typeOf(qualified);
            FieldType fieldType = java.util.Arrays.stream(FieldType.values())
                    .filter(t -> t.describeName().equalsIgnoreCase(describeType)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + describeType + "' is not a field type"));
            type.put(fieldOf(type, qualified).retyped(fieldType));
        });
    }

    private SObjectType typeOf(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot < 1) {
            throw new IllegalArgumentException("'" + qualified + "' is not Object.Field");
        }
        return type(qualified.substring(0, dot)).orElseThrow(() -> new IllegalArgumentException(
                "'" + qualified + "' names an unknown object"));
    }

    private static Field fieldOf(SObjectType type, String qualified) {
        return type.field(qualified.substring(qualified.indexOf('.') + 1)).orElseThrow(
                () -> new IllegalArgumentException("'" + qualified + "' names an unknown field"));
    }

    public OrgSettings settings() {
        return settings;
    }

    public Optional<SObjectType> type(String name) {
        return Optional.ofNullable(types.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<SObjectType> byKeyPrefix(String prefix) {
        return types.values().stream().filter(t -> t.keyPrefix().equals(prefix)).findFirst();
    }

    public List<SObjectType> types() {
        return List.copyOf(types.values());
    }

    public List<Stage> stages() {
        return stages;
    }

    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<ChildRelationship> childrenOf(String parent) {
        return children.stream().filter(c -> c.parent().equalsIgnoreCase(parent)).toList();
    }
}
