package io.cosellsync.simulator.salesforce.soql;

import io.cosellsync.simulator.salesforce.data.FieldValues;
import io.cosellsync.simulator.salesforce.data.OrgData;
import io.cosellsync.simulator.salesforce.data.Row;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.OrgSchema.ChildRelationship;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A query checked against an org's schema, ready to run over its rows and render them as the REST API does. */
final class CompiledQuery {

    /** A WHERE clause, evaluated for one row during one {@link Scan}. */
    interface Condition {
        boolean test(Row row, Scan scan);
    }

    /** One run over an org's rows: the data, whether deleted rows count, and semi-join results computed once. */
    static final class Scan {
        final OrgData data;
        final boolean includeDeleted;
        final String version;
        final Map<CompiledQuery, Set<String>> semiJoins = new HashMap<>();

        Scan(OrgData data, boolean includeDeleted, String version) {
            this.data = data;
            this.includeDeleted = includeDeleted;
            this.version = version;
        }
    }

    sealed interface Column permits FieldColumn, ChildColumn, CountColumn {
    }

    record FieldColumn(FieldPath path) implements Column {
    }

    record ChildColumn(ChildRelationship relationship, CompiledQuery query) implements Column {
    }

    /** {@code COUNT(field)}: the rows where the field is not null, under its alias or {@code exprN}. */
    record CountColumn(String alias, FieldPath path) implements Column {
    }

    record Order(FieldPath path, boolean descending, boolean nullsFirst) {
    }

    final SObjectType type;
    final List<Column> columns;
    final Condition where;
    final List<Order> orders;
    final Integer limit;
    final int offset;
    /** {@code SELECT COUNT() FROM …}: only the number of rows is returned. */
    final boolean countOnly;

    CompiledQuery(SObjectType type, List<Column> columns, Condition where, List<Order> orders, Integer limit,
            int offset, boolean countOnly) {
        this.type = type;
        this.columns = List.copyOf(columns);
        this.where = where;
        this.orders = List.copyOf(orders);
        this.limit = limit;
        this.offset = offset;
        this.countOnly = countOnly;
    }

    boolean aggregate() {
        return columns.stream().anyMatch(c -> c instanceof CountColumn);
    }

    /** The matching rows in result order, after OFFSET and LIMIT; {@code scope} narrows them (a parent's children). */
    List<Row> select(Scan scan, Predicate<Row> scope) {
        Stream<Row> rows = scan.data.rows(type).stream()
                .filter(r -> scan.includeDeleted || !r.deleted())
                .filter(scope)
                .filter(r -> where == null || where.test(r, scan));
        if (!orders.isEmpty()) {
            rows = rows.sorted(comparator(scan.data));
        }
        rows = rows.skip(offset);
        if (limit != null) {
            rows = rows.limit(limit);
        }
        return rows.toList();
    }

    private Comparator<Row> comparator(OrgData data) {
        Comparator<Row> result = null;
        for (Order order : orders) {
            Comparator<Object> values = Values.sortOrder(order.path().field());
            if (order.descending()) {
                values = values.reversed();
            }
            Comparator<Object> withNulls = order.nullsFirst() ? Comparator.nullsFirst(values)
                    : Comparator.nullsLast(values);
            Comparator<Row> byPath = Comparator.comparing(r -> order.path().value(r, data), withNulls);
            result = result == null ? byPath : result.thenComparing(byPath);
        }
        return result;
    }

    /** The records of a result: each row with its attributes, selected fields, parents and child results. */
    List<Map<String, Object>> render(List<Row> rows, Scan scan) {
        if (aggregate()) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("attributes", Map.of("type", "AggregateResult"));
            for (Column column : columns) {
                CountColumn count = (CountColumn) column;
                record.put(count.alias(), rows.stream().filter(r -> count.path().value(r, scan.data) != null)
                        .count());
            }
            return List.of(record);
        }
        List<Map<String, Object>> records = new ArrayList<>(rows.size());
        for (Row row : rows) {
            records.add(render(row, scan));
        }
        return records;
    }

    private Map<String, Object> render(Row row, Scan scan) {
        Map<String, Object> record = attributes(row.type().name(), row, scan.version);
        for (Column column : columns) {
            if (column instanceof FieldColumn field) {
                put(record, row, field.path(), 0, scan);
            } else if (column instanceof ChildColumn child) {
                record.put(child.relationship().relationshipName(), children(row, child, scan));
            }
        }
        return record;
    }

    /** Puts one selected path into a record, nesting parents by relationship name (null when a lookup is empty). */
    private static void put(Map<String, Object> target, Row row, FieldPath path, int depth, Scan scan) {
        if (depth == path.lookups().size()) {
            target.put(path.field().name(), FieldValues.toJson(row.get(path.field().name())));
            return;
        }
        Field lookup = path.lookups().get(depth);
        String key = lookup.relationshipName();
        if (target.containsKey(key) && target.get(key) == null) {
            return;
        }
        Object parentId = row.get(lookup.name());
        Row parent = parentId == null ? null : scan.data.row((String) parentId).orElse(null);
        if (parent == null) {
            target.put(key, null);
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) target.get(key);
        if (nested == null) {
            nested = attributes(FieldPath.polymorphic(lookup) ? "Name" : parent.type().name(), parent,
                    scan.version);
            target.put(key, nested);
        }
        put(nested, parent, path, depth + 1, scan);
    }

    private static Map<String, Object> attributes(String typeName, Row row, String version) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", typeName);
        attributes.put("url", "/services/data/" + version + "/sobjects/" + row.type().name() + "/" + row.id());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("attributes", attributes);
        return record;
    }

    /** A child sub-query's result for one parent: a nested query result, or null when there are no children. */
    private static Map<String, Object> children(Row parent, ChildColumn child, Scan scan) {
        String field = child.relationship().field();
        List<Row> rows = child.query().select(scan, r -> parent.id().equals(r.get(field)));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("totalSize", rows.size());
        result.put("done", true);
        result.put("records", child.query().render(rows, scan));
        return result;
    }
}
