package io.cosellsync.simulator.salesforce.soql;

import io.cosellsync.simulator.salesforce.data.OrgData;
import io.cosellsync.simulator.salesforce.data.Row;
import io.cosellsync.simulator.salesforce.schema.Field;
import java.util.List;

/**
 * A resolved field path such as {@code Account.Owner.Name}: the lookups to follow (their relationship names are the
 * nested keys of a result) and the field at the end. A polymorphic lookup (Note's {@code Parent}) reaches only the
 * fields every target has, {@code Id} and {@code Name}, as Salesforce's {@code Name} entity does.
 */
record FieldPath(List<Field> lookups, Field field) {

    String text() {
        StringBuilder out = new StringBuilder();
        lookups.forEach(l -> out.append(l.relationshipName()).append('.'));
        return out.append(field.name()).toString();
    }

    /** The stored value at the end of the path, or null when a lookup on the way is empty. */
    Object value(Row row, OrgData data) {
        Row current = row;
        for (Field lookup : lookups) {
            Object parentId = current.get(lookup.name());
            if (parentId == null) {
                return null;
            }
            current = data.row((String) parentId).orElse(null);
            if (current == null) {
                return null;
            }
        }
        return current.get(field.name());
    }

    static boolean polymorphic(Field lookup) {
        return lookup.referenceTo().size() > 1;
    }
}
