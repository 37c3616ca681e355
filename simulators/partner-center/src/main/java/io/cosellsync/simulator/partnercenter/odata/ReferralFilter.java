package io.cosellsync.simulator.partnercenter.odata;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.simulator.partnercenter.api.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * A referral list's {@code $filter}, parsed with the ODataFilter grammar and checked against the fields Partner
 * Center documents as filterable. Anything else is a 400 that names the offending field, operator or token.
 */
public final class ReferralFilter {

    private enum Kind { TEXT, ENUM, DATETIME }

    /** The documented filterable properties and how their values compare. */
    private static final Map<String, Kind> FIELDS = Map.of(
            "engagementId", Kind.TEXT,
            "status", Kind.ENUM,
            "substatus", Kind.ENUM,
            "direction", Kind.ENUM,
            "type", Kind.ENUM,
            "qualification", Kind.ENUM,
            "createdDateTime", Kind.DATETIME,
            "updatedDateTime", Kind.DATETIME,
            "customerProfile/address/country", Kind.TEXT);

    /** Collections a lambda may range over, with the properties its variable may use. */
    private static final Map<String, Set<String>> COLLECTIONS = Map.of("team", Set.of("email"));

    private ReferralFilter() {
    }

    public static Predicate<JsonNode> parse(String filter) {
        ODataFilterLexer lexer = new ODataFilterLexer(CharStreams.fromString(filter));
        ODataFilterParser parser = new ODataFilterParser(new CommonTokenStream(lexer));
        BaseErrorListener fail = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column,
                    String message, RecognitionException e) {
                String near = offending instanceof Token t ? t.getText() : filter.substring(Math.min(column,
                        filter.length()));
                throw ApiException.badRequest("'$filter' is invalid near '" + near + "' (position " + column + "): "
                        + message);
            }
        };
        lexer.removeErrorListeners();
        lexer.addErrorListener(fail);
        parser.removeErrorListeners();
        parser.addErrorListener(fail);
        return new Builder(null).visit(parser.filter().expr());
    }

    /** Builds a predicate over a referral; inside a lambda, {@code variable} names the collection element. */
    private static final class Builder extends ODataFilterBaseVisitor<Predicate<JsonNode>> {

        private final Lambda lambda;

        Builder(Lambda lambda) {
            this.lambda = lambda;
        }

        @Override
        public Predicate<JsonNode> visitParenExpr(ODataFilterParser.ParenExprContext ctx) {
            return visit(ctx.expr());
        }

        @Override
        public Predicate<JsonNode> visitNotExpr(ODataFilterParser.NotExprContext ctx) {
            return visit(ctx.expr()).negate();
        }

        @Override
        public Predicate<JsonNode> visitAndExpr(ODataFilterParser.AndExprContext ctx) {
            return visit(ctx.expr(0)).and(visit(ctx.expr(1)));
        }

        @Override
        public Predicate<JsonNode> visitOrExpr(ODataFilterParser.OrExprContext ctx) {
            return visit(ctx.expr(0)).or(visit(ctx.expr(1)));
        }

        @Override
        public Predicate<JsonNode> visitAnyExpr(ODataFilterParser.AnyExprContext ctx) {
            if (lambda != null) {
                throw ApiException.badRequest("'$filter' does not support nested any()");
            }
            String collection = path(ctx.collection);
            Set<String> properties = COLLECTIONS.get(collection);
            if (properties == null) {
                throw ApiException.badRequest("'$filter' cannot use any() on '" + collection + "'");
            }
            Predicate<JsonNode> element = new Builder(new Lambda(ctx.variable.getText(), properties)).visit(ctx.expr());
            return referral -> {
                for (JsonNode item : referral.path(collection)) {
                    if (element.test(item)) {
                        return true;
                    }
                }
                return false;
            };
        }

        @Override
        public Predicate<JsonNode> visitCompareExpr(ODataFilterParser.CompareExprContext ctx) {
            ODataFilterParser.OperandContext fieldSide = ctx.left.path() != null ? ctx.left : ctx.right;
            ODataFilterParser.OperandContext valueSide = fieldSide == ctx.left ? ctx.right : ctx.left;
            if (fieldSide.path() == null || valueSide.literal() == null) {
                throw ApiException.badRequest("'$filter' comparisons need one property and one literal: '"
                        + ctx.getText() + "'");
            }
            String op = ctx.comparison().getText();
            if (fieldSide == ctx.right) {
                op = mirror(op);
            }
            String field = path(fieldSide.path());
            Kind kind;
            String[] segments;
            if (lambda != null) {
                if (!field.startsWith(lambda.variable + "/")
                        || !lambda.properties.contains(field.substring(lambda.variable.length() + 1))) {
                    throw ApiException.badRequest("'$filter' cannot filter on '" + field + "' inside any()");
                }
                kind = Kind.TEXT;
                segments = new String[] {field.substring(lambda.variable.length() + 1)};
            } else {
                kind = FIELDS.get(field);
                if (kind == null) {
                    throw ApiException.badRequest("'$filter' cannot filter on '" + field + "'; filterable: "
                            + String.join(", ", FIELDS.keySet().stream().sorted().toList()) + ", team/any(t:t/email)");
                }
                segments = field.split("/");
            }
            ODataFilterParser.LiteralContext literal = valueSide.literal();
            String operator = op;
            if (kind != Kind.DATETIME && !List.of("eq", "ne").contains(operator)) {
                throw ApiException.badRequest("'$filter' operator '" + operator + "' is not supported on '" + field
                        + "'");
            }
            if (literal.NULL() != null) {
                return node -> value(node, segments).isNull() == operator.equals("eq");
            }
            if (kind == Kind.DATETIME) {
                Instant wanted = instant(literal, field);
                return node -> {
                    JsonNode value = value(node, segments);
                    if (value.isNull()) {
                        return false;
                    }
                    int c = OffsetDateTime.parse(value.asText()).toInstant().compareTo(wanted);
                    return switch (operator) {
                        case "eq" -> c == 0;
                        case "ne" -> c != 0;
                        case "gt" -> c > 0;
                        case "ge" -> c >= 0;
                        case "lt" -> c < 0;
                        default -> c <= 0;
                    };
                };
            }
            String wanted = text(literal, field);
            boolean ignoreCase = kind == Kind.ENUM || lambda != null;
            return node -> {
                JsonNode value = value(node, segments);
                boolean equal = !value.isNull() && (ignoreCase ? value.asText().equalsIgnoreCase(wanted)
                        : value.asText().equals(wanted));
                return operator.equals("eq") == equal;
            };
        }
    }

    private record Lambda(String variable, Set<String> properties) {
    }

    private static JsonNode value(JsonNode node, String[] segments) {
        JsonNode current = node;
        for (String segment : segments) {
            current = current.path(segment);
        }
        return current.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : current;
    }

    private static String text(ODataFilterParser.LiteralContext literal, String field) {
        if (literal.STRING() != null) {
            String quoted = literal.STRING().getText();
            return quoted.substring(1, quoted.length() - 1).replace("''", "'");
        }
        if (literal.GUID() != null) {
            return literal.GUID().getText(); // engagementId may be written unquoted, as in links.relatedReferrals
        }
        throw ApiException.badRequest("'$filter' expects a string for '" + field + "', got " + literal.getText());
    }

    private static Instant instant(ODataFilterParser.LiteralContext literal, String field) {
        String text = literal.STRING() != null ? text(literal, field) : literal.getText();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw ApiException.badRequest("'$filter' expects a date-time for '" + field + "', got " + text);
            }
        }
    }

    private static String path(ODataFilterParser.PathContext ctx) {
        return String.join("/", ctx.IDENT().stream().map(Object::toString).toList());
    }

    private static String mirror(String op) {
        return switch (op) {
            case "gt" -> "lt";
            case "ge" -> "le";
            case "lt" -> "gt";
            case "le" -> "ge";
            default -> op;
        };
    }
}
