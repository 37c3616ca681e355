package io.cosellsync.mapping;

import java.util.List;

/**
 * One row of the field map.
 *
 * @param partnerCenter paths in Partner Center's referral JSON (dotted, wire names); relative to the item in a
 *                      collection
 * @param salesforce    {@code Object.Field} by its default API name
 * @param picklist      for {@link Transform#PICKLIST}: the name of the tenant's picklist map
 */
public record FieldRow(List<String> partnerCenter, String salesforce, Direction direction, Owner owner,
        Transform transform, String picklist) {

    public FieldRow {
        partnerCenter = partnerCenter == null ? List.of() : List.copyOf(partnerCenter);
    }

    public String object() {
        return salesforce.substring(0, salesforce.indexOf('.'));
    }

    public String field() {
        return salesforce.substring(salesforce.indexOf('.') + 1);
    }

    /** The row as the map file names it, for messages. */
    public String label() {
        return (partnerCenter.isEmpty() ? "(constant)" : String.join("+", partnerCenter)) + " ⇄ " + salesforce;
    }
}
