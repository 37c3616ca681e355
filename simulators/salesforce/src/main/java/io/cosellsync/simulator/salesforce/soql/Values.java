package io.cosellsync.simulator.salesforce.soql;

import io.cosellsync.simulator.salesforce.data.SalesforceIds;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.FieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Locale;

/** How SOQL compares stored values: text case-insensitively, picklists in their defined order, ids by 15 chars. */
final class Values {

    private Values() {
    }

    /** A stored value in the form comparisons use (numbers as BigDecimal, ids canonical). */
    static Object comparable(Object stored) {
        if (stored instanceof Integer i) {
            return BigDecimal.valueOf(i);
        }
        return stored;
    }

    /** Equality as a WHERE clause sees it. */
    static boolean same(Field field, Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            if (isId(field)) {
                return x.equals(y);
            }
            return x.equalsIgnoreCase(y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(b);
    }

    /** Ordering for WHERE comparisons (both non-null). */
    static int compare(Field field, Object a, Object b) {
        if (isId(field)) {
            return ((String) a).substring(0, 15).compareTo(((String) b).substring(0, 15));
        }
        if (a instanceof String x && b instanceof String y) {
            return String.CASE_INSENSITIVE_ORDER.compare(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        throw new IllegalStateException("cannot compare " + a + " with " + b);
    }

    /** ORDER BY ordering (both non-null): picklists sort by their defined order, as Salesforce sorts them. */
    static Comparator<Object> sortOrder(Field field) {
        if (field.type() == FieldType.PICKLIST) {
            return Comparator.comparingInt((Object v) -> picklistIndex(field, (String) v))
                    .thenComparing(v -> ((String) v).toLowerCase(Locale.ROOT));
        }
        return (a, b) -> compare(field, comparable(a), comparable(b));
    }

    private static int picklistIndex(Field field, String value) {
        for (int i = 0; i < field.picklistValues().size(); i++) {
            if (field.picklistValues().get(i).equalsIgnoreCase(value)) {
                return i;
            }
        }
        return field.picklistValues().size();
    }

    static boolean isId(Field field) {
        return field.type() == FieldType.ID || field.type() == FieldType.REFERENCE;
    }

    static String canonicalId(String id) {
        return SalesforceIds.canonical(id).orElse(null);
    }
}
