package io.cosellsync.simulator.salesforce.soql;

import io.cosellsync.simulator.salesforce.data.FieldValues;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.FieldType;
import io.cosellsync.simulator.salesforce.soql.CompiledQuery.Condition;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * WHERE predicates on one field: literals checked against the field's type (as Salesforce checks them) and turned
 * into comparisons. SOQL is two-valued: {@code Field != x} and {@code NOT IN} are true when the field is null.
 */
final class Filters {

    /** A literal on the right of an operator: null, a value comparable with the field's, or a date range. */
    private sealed interface Operand permits Null, Scalar, Span {
    }

    private record Null() implements Operand {
    }

    private record Scalar(Object value) implements Operand {
    }

    /** A date literal as instants or dates, [start, end). */
    private record Span(Object start, Object end) implements Operand {
    }

    private final String text;
    private final LocalDate today;

    Filters(String text, LocalDate today) {
        this.text = text;
        this.today = today;
    }

    Condition comparison(SoqlParser.ComparisonContext ctx, FieldPath path) {
        Field field = path.field();
        int op = ctx.operator().getStart().getType();
        if (field.type() == FieldType.MULTIPICKLIST && op != SoqlParser.EQ && op != SoqlParser.NEQ) {
            throw invalidOperator(ctx, "invalid operator on multipicklist field");
        }
        Operand operand = operand(ctx.value(), field);
        if (field.type() == FieldType.MULTIPICKLIST && operand instanceof Scalar s) {
            Set<String> wanted = selections((String) s.value());
            return (row, scan) -> {
                Object value = path.value(row, scan.data);
                boolean same = value != null && selections((String) value).equals(wanted);
                return op == SoqlParser.EQ ? same : !same;
            };
        }
        return (row, scan) -> test(op, field, Values.comparable(path.value(row, scan.data)), operand);
    }

    private static boolean test(int op, Field field, Object value, Operand operand) {
        if (operand instanceof Null) {
            return switch (op) {
                case SoqlParser.EQ -> value == null;
                case SoqlParser.NEQ -> value != null;
                default -> false;
            };
        }
        if (value == null) {
            return op == SoqlParser.NEQ;
        }
        if (operand instanceof Span span) {
            boolean afterStart = Values.compare(field, value, span.start()) >= 0;
            boolean beforeEnd = Values.compare(field, value, span.end()) < 0;
            return switch (op) {
                case SoqlParser.EQ -> afterStart && beforeEnd;
                case SoqlParser.NEQ -> !(afterStart && beforeEnd);
                case SoqlParser.LT -> !afterStart;
                case SoqlParser.LTE -> beforeEnd;
                case SoqlParser.GT -> !beforeEnd;
                default -> afterStart;
            };
        }
        Object literal = ((Scalar) operand).value();
        if (op == SoqlParser.EQ) {
            return Values.same(field, value, literal);
        }
        if (op == SoqlParser.NEQ) {
            return !Values.same(field, value, literal);
        }
        int cmp = Values.compare(field, value, literal);
        return switch (op) {
            case SoqlParser.LT -> cmp < 0;
            case SoqlParser.LTE -> cmp <= 0;
            case SoqlParser.GT -> cmp > 0;
            default -> cmp >= 0;
        };
    }

    Condition like(SoqlParser.LikeConditionContext ctx, FieldPath path) {
        Field field = path.field();
        if (!field.type().isText() || field.type() == FieldType.MULTIPICKLIST) {
            throw invalidOperator(ctx, "invalid operator on field: " + field.name() + " (LIKE applies to text "
                    + "fields)");
        }
        if (!(ctx.value() instanceof SoqlParser.StringValueContext string)) {
            throw typeError(ctx.value(), field);
        }
        Pattern pattern = likePattern(string.STRING().getText());
        return (row, scan) -> {
            Object value = path.value(row, scan.data);
            return value != null && pattern.matcher((String) value).matches();
        };
    }

    Condition in(SoqlParser.InConditionContext ctx, FieldPath path, boolean negated) {
        Field field = path.field();
        if (field.type() == FieldType.MULTIPICKLIST) {
            throw invalidOperator(ctx, "invalid operator on multipicklist field");
        }
        List<Operand> operands = new ArrayList<>();
        for (SoqlParser.ValueContext value : ctx.value()) {
            operands.add(operand(value, field));
        }
        return (row, scan) -> {
            Object value = Values.comparable(path.value(row, scan.data));
            boolean member = operands.stream().anyMatch(o -> test(SoqlParser.EQ, field, value, o));
            return negated != member;
        };
    }

    Condition includes(SoqlParser.IncludesConditionContext ctx, FieldPath path) {
        Field field = path.field();
        if (field.type() != FieldType.MULTIPICKLIST) {
            throw invalidOperator(ctx, "includes or excludes operator only valid on multipicklist field");
        }
        List<Set<String>> terms = new ArrayList<>();
        for (SoqlParser.ValueContext value : ctx.value()) {
            if (!(value instanceof SoqlParser.StringValueContext string)) {
                throw typeError(value, field);
            }
            terms.add(selections(unescape(string.STRING().getText(), value)));
        }
        boolean excludes = ctx.EXCLUDES() != null;
        return (row, scan) -> {
            Object value = path.value(row, scan.data);
            Set<String> chosen = value == null ? Set.of() : selections((String) value);
            boolean included = terms.stream().anyMatch(chosen::containsAll);
            return excludes != included;
        };
    }

    /** A multi-select value as a set of lower-cased selections ("A;B" and "b;a" are the same). */
    private static Set<String> selections(String value) {
        Set<String> out = new TreeSet<>();
        Arrays.stream(value.split(";")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .forEach(out::add);
        return out;
    }

    private Operand operand(SoqlParser.ValueContext ctx, Field field) {
        if (ctx instanceof SoqlParser.NullValueContext) {
            return new Null();
        }
        FieldType type = field.type();
        if (Values.isId(field)) {
            if (!(ctx instanceof SoqlParser.StringValueContext string)) {
                throw typeError(ctx, field);
            }
            String id = unescape(string.STRING().getText(), ctx);
            if (id.isEmpty()) {
                return new Null();
            }
            String canonical = Values.canonicalId(id);
            if (canonical == null) {
                throw QueryError.at(text, ctx, "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: " + id);
            }
            return new Scalar(canonical);
        }
        if (type.isText()) {
            if (!(ctx instanceof SoqlParser.StringValueContext string)) {
                throw typeError(ctx, field);
            }
            return new Scalar(unescape(string.STRING().getText(), ctx));
        }
        if (type == FieldType.BOOLEAN) {
            if (!(ctx instanceof SoqlParser.BooleanValueContext bool)) {
                throw typeError(ctx, field);
            }
            return new Scalar(bool.TRUE() != null);
        }
        if (type.isNumber()) {
            if (!(ctx instanceof SoqlParser.NumberValueContext number)) {
                throw typeError(ctx, field);
            }
            return new Scalar(new BigDecimal(number.NUMBER().getText()));
        }
        if (ctx instanceof SoqlParser.DateLiteralValueContext literal) {
            return span(literal, field);
        }
        if (type == FieldType.DATE && ctx instanceof SoqlParser.DateValueContext date) {
            try {
                return new Scalar(LocalDate.parse(date.DATE().getText()));
            } catch (DateTimeException e) {
                throw QueryError.malformed(text, ctx, "invalid date: " + date.getText());
            }
        }
        if (type == FieldType.DATETIME && ctx instanceof SoqlParser.DateTimeValueContext dateTime) {
            try {
                return new Scalar(FieldValues.parseDateTime(dateTime.DATETIME().getText().toUpperCase(Locale.ROOT)));
            } catch (DateTimeException e) {
                throw QueryError.malformed(text, ctx, "invalid dateTime: " + dateTime.getText());
            }
        }
        throw typeError(ctx, field);
    }

    private Operand span(SoqlParser.DateLiteralValueContext literal, Field field) {
        Integer n = literal.NUMBER() == null ? null : Integer.valueOf(literal.NUMBER().getText());
        DateLiterals.Range range = DateLiterals.resolve(literal.identifier().getText(), n, today).orElseThrow(
                () -> QueryError.malformed(text, literal, "unexpected token: " + literal.getText()));
        if (field.type() == FieldType.DATE) {
            return new Span(range.start(), range.end());
        }
        return new Span(midnight(range.start()), midnight(range.end()));
    }

    private static Instant midnight(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Salesforce's wording: "value of filter criterion for field 'X' must be of type T and should …quotes". */
    private RuntimeException typeError(SoqlParser.ValueContext ctx, Field field) {
        FieldType type = field.type();
        String typeName = switch (type) {
            case ID, REFERENCE -> "id";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case DATETIME -> "dateTime";
            case INT -> "int";
            case CURRENCY, PERCENT, DOUBLE -> "double";
            default -> "string";
        };
        boolean quoted = type.isText() || Values.isId(field);
        return QueryError.at(text, ctx, "INVALID_FIELD", "value of filter criterion for field '" + field.name()
                + "' must be of type " + typeName + " and should " + (quoted ? "" : "not ") + "be enclosed in quotes");
    }

    private RuntimeException invalidOperator(ParserRuleContext ctx, String reason) {
        return QueryError.at(text, ctx, "INVALID_QUERY_FILTER_OPERATOR", reason);
    }

    /** A quoted SOQL string's value; {@code \%} and {@code \_} stand for themselves outside LIKE. */
    private String unescape(String quoted, ParserRuleContext ctx) {
        String body = quoted.substring(1, quoted.length() - 1);
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = body.charAt(++i);
            out.append(escaped(next, ctx));
        }
        return out.toString();
    }

    private char escaped(char next, ParserRuleContext ctx) {
        return switch (next) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case '\'', '"', '\\', '%', '_' -> next;
            default -> throw QueryError.malformed(text, ctx, "Invalid string literal. Illegal character sequence '\\"
                    + next + "' in string literal.");
        };
    }

    /** LIKE: {@code %} any run, {@code _} one character, {@code \%}/{@code \_} literal; case-insensitive. */
    private Pattern likePattern(String quoted) {
        String body = quoted.substring(1, quoted.length() - 1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else if (c == '\\') {
                regex.append(Pattern.quote(String.valueOf(escapedForLike(body.charAt(++i)))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private char escapedForLike(char next) {
        return switch (next) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> next;
        };
    }
}
