package io.cosellsync.simulator.salesforce.soql;

import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.FieldType;
import io.cosellsync.simulator.salesforce.schema.OrgSchema;
import io.cosellsync.simulator.salesforce.schema.OrgSchema.ChildRelationship;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import io.cosellsync.simulator.salesforce.soql.CompiledQuery.ChildColumn;
import io.cosellsync.simulator.salesforce.soql.CompiledQuery.Column;
import io.cosellsync.simulator.salesforce.soql.CompiledQuery.Condition;
import io.cosellsync.simulator.salesforce.soql.CompiledQuery.CountColumn;
import io.cosellsync.simulator.salesforce.soql.CompiledQuery.FieldColumn;
import io.cosellsync.simulator.salesforce.soql.CompiledQuery.Order;
import io.cosellsync.simulator.salesforce.soql.SoqlParser.IdentifierContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * Checks a parsed query against an org's schema (objects, fields, relationships, value types, clause rules) and
 * turns it into a {@link CompiledQuery}. Every refusal is an error the real API also gives for it, or, for SOQL this
 * simulator does not implement, a MALFORMED_QUERY that says so: never a silently different answer.
 */
final class QueryCompiler {

    private static final int MAX_OFFSET = 2000;

    /** Where a SELECT sits: the statement itself, a parent's child sub-query, or a semi-join's sub-select. */
    private enum Place { TOP, CHILD, SEMI_JOIN }

    private final String text;
    private final OrgSchema schema;
    private final LocalDate today;

    QueryCompiler(String text, OrgSchema schema, LocalDate today) {
        this.text = text;
        this.schema = schema;
        this.today = today;
    }

    CompiledQuery compile(SoqlParser.QueryContext query) {
        SoqlParser.FieldPathContext from = query.fieldPath();
        SObjectType type = from.identifier().size() == 1 ? schema.type(from.getText()).orElse(null) : null;
        if (type == null) {
            throw QueryError.unknownObject(text, from);
        }
        return compile(query, type, Place.TOP);
    }

    private CompiledQuery compile(SoqlParser.QueryContext query, SObjectType type, Place place) {
        unsupported(query, place);
        String alias = query.alias == null ? null : query.alias.getText();
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean countOnly = false;
        int expr = 0;
        for (SoqlParser.SelectItemContext item : query.selectItem()) {
            if (item instanceof SoqlParser.FieldItemContext field) {
                FieldPath path = resolve(field.fieldPath(), type, alias);
                if (!seen.add(path.text().toLowerCase(Locale.ROOT))) {
                    throw QueryError.at(text, field, "INVALID_FIELD", "duplicate field selected: " + path.text());
                }
                columns.add(new FieldColumn(path));
            } else if (item instanceof SoqlParser.CountItemContext count) {
                if (count.fieldPath() == null) {
                    if (query.selectItem().size() > 1) {
                        throw QueryError.malformed(text, count, "COUNT() must be the only item in the SELECT list");
                    }
                    countOnly = true;
                } else {
                    String name = count.alias != null ? count.alias.getText() : "expr" + expr;
                    expr++;
                    columns.add(new CountColumn(name, resolve(count.fieldPath(), type, alias)));
                }
            } else if (item instanceof SoqlParser.SubqueryItemContext sub) {
                columns.add(child(sub.query(), type, place));
            } else if (item instanceof SoqlParser.FunctionItemContext function) {
                throw QueryError.malformed(text, function, "function " + function.name.getText().toUpperCase(
                        Locale.ROOT) + "() is not supported by this simulator (supported: COUNT() and COUNT(field))");
            } else {
                throw QueryError.malformed(text, item, "TYPEOF is not supported by this simulator");
            }
        }
        boolean aggregate = columns.stream().anyMatch(c -> c instanceof CountColumn);
        if (aggregate) {
            for (Column column : columns) {
                if (!(column instanceof CountColumn)) {
                    String name = column instanceof FieldColumn f ? f.path().text()
                            : ((ChildColumn) column).relationship().relationshipName();
                    throw QueryError.malformed(text, query, "Field must be grouped or aggregated: " + name);
                }
            }
        }
        if (place == Place.SEMI_JOIN) {
            semiJoinSelect(query, columns, countOnly || aggregate);
        }
        Condition where = query.whereClause() == null ? null
                : condition(query.whereClause().condition(), type, alias, place);
        List<Order> orders = new ArrayList<>();
        if (query.orderBy() != null) {
            if (countOnly || aggregate) {
                throw QueryError.malformed(text, query.orderBy(), "Ordered field must be grouped or aggregated: "
                        + query.orderBy().orderItem(0).fieldPath().getText());
            }
            for (SoqlParser.OrderItemContext item : query.orderBy().orderItem()) {
                orders.add(order(item, type, alias));
            }
        }
        Integer limit = query.limitClause() == null ? null : whole(query.limitClause().NUMBER().getText(),
                query.limitClause(), "LIMIT");
        int offset = query.offsetClause() == null ? 0 : whole(query.offsetClause().NUMBER().getText(),
                query.offsetClause(), "OFFSET");
        if (offset > MAX_OFFSET) {
            throw QueryError.at(text, query.offsetClause(), "NUMBER_OUTSIDE_VALID_RANGE",
                    "Maximum SOQL offset allowed is " + MAX_OFFSET);
        }
        return new CompiledQuery(type, columns, where, orders, limit, offset, countOnly);
    }

    /** Clauses the simulator recognises but does not implement, and clauses the REST API itself refuses. */
    private void unsupported(SoqlParser.QueryContext query, Place place) {
        if (query.groupBy() != null) {
            throw QueryError.malformed(text, query.groupBy(), "GROUP BY is not supported by this simulator");
        }
        if (query.usingScope() != null) {
            throw QueryError.malformed(text, query.usingScope(), "USING SCOPE is not supported by this simulator");
        }
        if (query.withClause() != null) {
            String with = query.withClause().identifier().getText().toUpperCase(Locale.ROOT);
            if (!Set.of("SECURITY_ENFORCED", "USER_MODE", "SYSTEM_MODE").contains(with)) {
                throw QueryError.malformed(text, query.withClause(), "WITH " + with
                        + " is not supported by this simulator");
            }
        }
        if (query.allRows() != null) {
            throw QueryError.malformed(text, query.allRows(), "ALL ROWS not allowed in this context (use the "
                    + "queryAll resource to include deleted rows)");
        }
        for (SoqlParser.ForClauseContext clause : query.forClause()) {
            if (place != Place.TOP) {
                throw QueryError.malformed(text, clause, "FOR clauses are only allowed on the outer query");
            }
            if (clause.UPDATE() != null && query.orderBy() != null) {
                throw QueryError.malformed(text, query.orderBy(), "ORDER BY is not allowed in a query that locks "
                        + "rows with FOR UPDATE");
            }
        }
    }

    private ChildColumn child(SoqlParser.QueryContext sub, SObjectType parent, Place place) {
        SoqlParser.FieldPathContext from = sub.fieldPath();
        if (place != Place.TOP) {
            throw QueryError.malformed(text, sub, "Nesting of child relationship sub-queries is not supported");
        }
        ChildRelationship relationship = schema.childrenOf(parent.name()).stream()
                .filter(c -> from.identifier().size() == 1 && c.relationshipName().equalsIgnoreCase(from.getText()))
                .findFirst().orElseThrow(() -> QueryError.at(text, from, "INVALID_TYPE", "Didn't understand "
                        + "relationship '" + from.getText() + "' in FROM part of query call. If you are attempting to "
                        + "use a custom relationship, be sure to append the '__r' after the custom relationship name. "
                        + "Please reference your WSDL or the describe call for the appropriate names."));
        SObjectType childType = schema.type(relationship.child()).orElseThrow();
        CompiledQuery query = compile(sub, childType, Place.CHILD);
        if (query.countOnly || query.aggregate()) {
            throw QueryError.malformed(text, sub, "Aggregate functions are not allowed in child relationship "
                    + "sub-queries");
        }
        return new ChildColumn(relationship, query);
    }

    private void semiJoinSelect(SoqlParser.QueryContext query, List<Column> columns, boolean counted) {
        if (counted || columns.size() != 1 || !(columns.get(0) instanceof FieldColumn field)
                || !Values.isId(field.path().field())) {
            throw QueryError.malformed(text, query, "A semi-join sub-select must select exactly one Id or reference "
                    + "field");
        }
        if (query.orderBy() != null || query.limitClause() != null || query.offsetClause() != null) {
            throw QueryError.malformed(text, query, "ORDER BY, LIMIT and OFFSET are not supported in a semi-join "
                    + "sub-select");
        }
    }

    /** Resolves {@code A.B.Field} from {@code type}: lookups by relationship name, then a field. */
    FieldPath resolve(SoqlParser.FieldPathContext ctx, SObjectType type, String alias) {
        List<IdentifierContext> parts = new ArrayList<>(ctx.identifier());
        if (alias != null && parts.size() > 1 && parts.get(0).getText().equalsIgnoreCase(alias)) {
            parts.remove(0);
        }
        List<Field> lookups = new ArrayList<>();
        SObjectType current = type;
        boolean polymorphic = false;
        for (int i = 0; i < parts.size() - 1; i++) {
            IdentifierContext part = parts.get(i);
            Field lookup = polymorphic ? null : current.relationship(part.getText()).orElse(null);
            if (lookup == null) {
                throw QueryError.at(text, part, "INVALID_FIELD", "Didn't understand relationship '" + part.getText()
                        + "' in field path. If you are attempting to use a custom relationship, be sure to append "
                        + "the '__r' after the custom relationship name. Please reference your WSDL or the describe "
                        + "call for the appropriate names.");
            }
            lookups.add(lookup);
            polymorphic = FieldPath.polymorphic(lookup);
            current = schema.type(lookup.referenceTo().get(0)).orElseThrow();
        }
        IdentifierContext last = parts.get(parts.size() - 1);
        String name = last.getText();
        Field field = current.field(name).orElse(null);
        if (field == null || polymorphic && !name.equalsIgnoreCase("Id") && !name.equalsIgnoreCase("Name")) {
            throw QueryError.noSuchColumn(text, last, name, polymorphic ? "Name" : current.name());
        }
        return new FieldPath(List.copyOf(lookups), field);
    }

    private Order order(SoqlParser.OrderItemContext item, SObjectType type, String alias) {
        FieldPath path = resolve(item.fieldPath(), type, alias);
        if (!sortable(path.field())) {
            throw QueryError.at(text, item, "INVALID_FIELD", "field '" + path.field().name()
                    + "' can not be sorted in a query call");
        }
        boolean descending = item.direction != null && item.direction.getType() == SoqlParser.DESC;
        boolean nullsFirst = item.nulls == null || item.nulls.getType() == SoqlParser.FIRST;
        return new Order(path, descending, nullsFirst);
    }

    private static boolean sortable(Field field) {
        return field.type() != FieldType.MULTIPICKLIST && !longText(field);
    }

    static boolean longText(Field field) {
        return field.type() == FieldType.TEXTAREA && field.length() > 255;
    }

    private Integer whole(String number, ParserRuleContext ctx, String clause) {
        if (!number.matches("\\d+")) {
            throw QueryError.malformed(text, ctx, clause + " must be a non-negative integer: " + number);
        }
        try {
            return Integer.valueOf(number);
        } catch (NumberFormatException e) {
            throw QueryError.at(text, ctx, "NUMBER_OUTSIDE_VALID_RANGE", clause + " is too large: " + number);
        }
    }

    // --- WHERE ---------------------------------------------------------------------------------------------------

    private Condition condition(SoqlParser.ConditionContext ctx, SObjectType type, String alias, Place place) {
        List<Condition> parts = new ArrayList<>();
        for (SoqlParser.SimpleConditionContext simple : ctx.simpleCondition()) {
            parts.add(simple(simple, type, alias, place));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        if (!ctx.AND().isEmpty()) {
            return (row, scan) -> parts.stream().allMatch(p -> p.test(row, scan));
        }
        return (row, scan) -> parts.stream().anyMatch(p -> p.test(row, scan));
    }

    private Condition simple(SoqlParser.SimpleConditionContext ctx, SObjectType type, String alias, Place place) {
        if (ctx instanceof SoqlParser.NotConditionContext not) {
            Condition inner = simple(not.simpleCondition(), type, alias, place);
            return (row, scan) -> !inner.test(row, scan);
        }
        if (ctx instanceof SoqlParser.NestedConditionContext nested) {
            return condition(nested.condition(), type, alias, place);
        }
        Filters filters = new Filters(text, today);
        if (ctx instanceof SoqlParser.ComparisonContext comparison) {
            FieldPath path = filterable(comparison.fieldPath(), type, alias);
            return filters.comparison(comparison, path);
        }
        if (ctx instanceof SoqlParser.LikeConditionContext like) {
            return filters.like(like, filterable(like.fieldPath(), type, alias));
        }
        if (ctx instanceof SoqlParser.IncludesConditionContext includes) {
            return filters.includes(includes, filterable(includes.fieldPath(), type, alias));
        }
        SoqlParser.InConditionContext in = (SoqlParser.InConditionContext) ctx;
        FieldPath path = filterable(in.fieldPath(), type, alias);
        boolean negated = in.NOT() != null;
        if (in.query() == null) {
            return filters.in(in, path, negated);
        }
        return semiJoin(in, path, negated, place);
    }

    private FieldPath filterable(SoqlParser.FieldPathContext ctx, SObjectType type, String alias) {
        FieldPath path = resolve(ctx, type, alias);
        if (longText(path.field())) {
            throw QueryError.at(text, ctx, "INVALID_FIELD", "field '" + path.field().name()
                    + "' can not be filtered in a query call");
        }
        return path;
    }

    private Condition semiJoin(SoqlParser.InConditionContext in, FieldPath path, boolean negated, Place place) {
        if (place != Place.TOP && place != Place.CHILD) {
            throw QueryError.malformed(text, in.query(), "Nesting of semi join sub-selects is not supported");
        }
        if (!Values.isId(path.field())) {
            throw QueryError.malformed(text, in, "Semi join sub-selects are only allowed on Id or reference "
                    + "fields: " + path.text());
        }
        SoqlParser.FieldPathContext from = in.query().fieldPath();
        SObjectType inner = from.identifier().size() == 1 ? schema.type(from.getText()).orElse(null) : null;
        if (inner == null) {
            throw QueryError.unknownObject(text, from);
        }
        CompiledQuery sub = compile(in.query(), inner, Place.SEMI_JOIN);
        FieldPath selected = ((FieldColumn) sub.columns.get(0)).path();
        return (row, scan) -> {
            Set<String> ids = scan.semiJoins.computeIfAbsent(sub, q -> q.select(
                    new CompiledQuery.Scan(scan.data, false, scan.version), r -> true).stream()
                    .map(r -> (String) selected.value(r, scan.data)).filter(v -> v != null)
                    .collect(Collectors.toSet()));
            Object value = path.value(row, scan.data);
            boolean member = value != null && ids.contains(value);
            return negated != member;
        };
    }
}
