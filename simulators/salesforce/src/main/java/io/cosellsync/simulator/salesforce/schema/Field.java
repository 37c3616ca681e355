package io.cosellsync.simulator.salesforce.schema;

import java.util.List;

/**
 * One field of an sObject as describe reports it. {@code createable}/{@code updateable} say whether the API may
 * write it; a field that is not nillable, createable and not defaulted on create is required.
 */
public record Field(String name, String label, FieldType type, int length, int precision, int scale,
        boolean nillable, boolean createable, boolean updateable, boolean defaultedOnCreate, boolean externalId,
        boolean unique, boolean custom, List<String> picklistValues, boolean restrictedPicklist,
        List<String> referenceTo, String relationshipName, boolean cascadeDelete, boolean calculated) {

    public static Field of(String name, String label, FieldType type) {
        int length = switch (type) {
            case ID, REFERENCE -> 18;
            case PICKLIST, MULTIPICKLIST, STRING, URL -> 255;
            case EMAIL -> 80;
            case PHONE -> 40;
            case TEXTAREA -> 255;
            default -> 0;
        };
        return new Field(name, label, type, length, 0, 0, true, true, true, type == FieldType.BOOLEAN, false, false,
                name.endsWith("__c"), List.of(), false, List.of(), null, false, false);
    }

    public static Field text(String name, String label, int length) {
        return of(name, label, FieldType.STRING).withLength(length);
    }

    public static Field picklist(String name, String label, List<String> values, boolean restricted) {
        return new Field(name, label, FieldType.PICKLIST, 255, 0, 0, true, true, true, false, false, false,
                name.endsWith("__c"), List.copyOf(values), restricted, List.of(), null, false, false);
    }

    /** A restricted multi-select picklist: values joined by ';', stored in the picklist's order. */
    public static Field multiPicklist(String name, String label, List<String> values) {
        return new Field(name, label, FieldType.MULTIPICKLIST, 4099, 0, 0, true, true, true, false, false, false,
                name.endsWith("__c"), List.copyOf(values), true, List.of(), null, false, false);
    }

    public static Field number(String name, String label, FieldType type, int precision, int scale) {
        return new Field(name, label, type, 0, precision, scale, true, true, true, false, false, false,
                name.endsWith("__c"), List.of(), false, List.of(), null, false, false);
    }

    /** A lookup; {@code relationshipName} is the name a body or a query uses for the parent. */
    public static Field reference(String name, String label, String relationshipName, String... referenceTo) {
        return new Field(name, label, FieldType.REFERENCE, 18, 0, 0, true, true, true, false, false, false,
                name.endsWith("__c"), List.of(), false, List.of(referenceTo), relationshipName, false, false);
    }

    public Field withLength(int newLength) {
        return new Field(name, label, type, newLength, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, unique, custom, picklistValues, restrictedPicklist, referenceTo,
                relationshipName, cascadeDelete, calculated);
    }

    /** Not nillable: required on create (unless defaulted) and never null afterwards. */
    public Field required() {
        return new Field(name, label, type, length, precision, scale, false, createable, updateable,
                defaultedOnCreate, externalId, unique, custom, picklistValues, restrictedPicklist, referenceTo,
                relationshipName, cascadeDelete, calculated);
    }

    /** Maintained by Salesforce (system, formula, roll-up or derived fields). */
    public Field readOnly() {
        return new Field(name, label, type, length, precision, scale, nillable, false, false, true, externalId,
                unique, custom, picklistValues, restrictedPicklist, referenceTo, relationshipName, cascadeDelete,
                calculated);
    }

    /** Writable on create only (for instance the parent of a detail record). */
    public Field createOnly() {
        return new Field(name, label, type, length, precision, scale, nillable, createable, false,
                defaultedOnCreate, externalId, unique, custom, picklistValues, restrictedPicklist, referenceTo,
                relationshipName, cascadeDelete, calculated);
    }

    /** As the integration user sees a field its field-level security lets it read but not edit. */
    public Field withoutEditAccess() {
        return new Field(name, label, type, length, precision, scale, nillable, false, false, defaultedOnCreate,
                externalId, unique, custom, picklistValues, restrictedPicklist, referenceTo, relationshipName,
                cascadeDelete, calculated);
    }

    /** The same field with another type (and that type's length), as an admin may have created it. */
    public Field retyped(FieldType newType) {
        Field plain = of(name, label, newType);
        return new Field(name, label, newType, plain.length(), newType.isNumber() ? 18 : 0, 0, nillable, createable,
                updateable, defaultedOnCreate, false, false, custom, List.of(), false, List.of(), null, false, false);
    }

    public Field defaulted() {
        return new Field(name, label, type, length, precision, scale, nillable, createable, updateable, true,
                externalId, unique, custom, picklistValues, restrictedPicklist, referenceTo, relationshipName,
                cascadeDelete, calculated);
    }

    /** An external id, unique (case-insensitive) within the object: usable as an upsert key. */
    public Field externalIdUnique() {
        return new Field(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, true, true, custom, picklistValues, restrictedPicklist, referenceTo,
                relationshipName, cascadeDelete, calculated);
    }

    /** An external id that several rows may share: an upsert on it can match more than one. */
    public Field externalIdNonUnique() {
        return new Field(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, true, false, custom, picklistValues, restrictedPicklist, referenceTo,
                relationshipName, cascadeDelete, calculated);
    }

    /** A master-detail parent: deleting the parent deletes this record too. */
    public Field cascadeDeleted() {
        return new Field(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, unique, custom, picklistValues, restrictedPicklist, referenceTo,
                relationshipName, true, calculated);
    }

    public Field calculatedField() {
        return new Field(name, label, type, length, precision, scale, nillable, false, false, false, externalId,
                unique, custom, picklistValues, restrictedPicklist, referenceTo, relationshipName, cascadeDelete,
                true);
    }

    public boolean isRequiredOnCreate() {
        return !nillable && createable && !defaultedOnCreate;
    }
}
