package io.cosellsync.simulator.salesforce.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.FieldType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/** Converting JSON values to stored values per field type, and stored values back to Salesforce's JSON. */
public final class FieldValues {

    /** Salesforce's date-time format in JSON: {@code 2024-05-20T20:49:32.000+0000}. */
    public static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATETIME_IN = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendPattern("HH:mm[:ss]").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd().optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd().toFormatter();
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private FieldValues() {
    }

    /** The stored value of a JSON value for a field; a wrong JSON type fails the request (JSON_PARSER_ERROR). */
    public static Object fromJson(Field field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        FieldType type = field.type();
        try {
            if (type.isText() || type == FieldType.ID || type == FieldType.REFERENCE) {
                if (!node.isValueNode() || node.isBoolean() && !type.isText()) {
                    throw wrongType(field, node);
                }
                return node.asText();
            }
            switch (type) {
                case BOOLEAN:
                    if (node.isBoolean()) {
                        return node.booleanValue();
                    }
                    if (node.isTextual() && (node.asText().equalsIgnoreCase("true")
                            || node.asText().equalsIgnoreCase("false"))) {
                        return Boolean.parseBoolean(node.asText());
                    }
                    throw wrongType(field, node);
                case DATE:
                    if (!node.isTextual()) {
                        throw wrongType(field, node);
                    }
                    return LocalDate.parse(node.asText());
                case DATETIME:
                    if (!node.isTextual()) {
                        throw wrongType(field, node);
                    }
                    // Salesforce keeps date-times in whole seconds
                    return parseDateTime(node.asText()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                case INT:
                    if (node.isIntegralNumber() || node.isTextual()) {
                        return new BigDecimal(node.asText()).intValueExact();
                    }
                    throw wrongType(field, node);
                default:
                    if (node.isNumber()) {
                        return node.decimalValue();
                    }
                    if (node.isTextual()) {
                        return new BigDecimal(node.asText().trim());
                    }
                    throw wrongType(field, node);
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw wrongType(field, node);
        }
    }

    public static Instant parseDateTime(String text) {
        var parsed = DATETIME_IN.parseBest(text, OffsetDateTime::from, java.time.LocalDateTime::from);
        return parsed instanceof OffsetDateTime odt ? odt.toInstant()
                : ((java.time.LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    private static SaveException wrongType(Field field, JsonNode node) {
        String kind = node.isTextual() ? "VALUE_STRING" : node.isBoolean() ? "VALUE_" + node.asText().toUpperCase()
                : node.isNumber() ? (node.isIntegralNumber() ? "VALUE_NUMBER_INT" : "VALUE_NUMBER_FLOAT")
                : node.isObject() ? "START_OBJECT" : node.isArray() ? "START_ARRAY" : "VALUE";
        return SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR", "Cannot deserialize instance of "
                + field.type().describeName() + " from " + kind + " value " + node + " or request may be missing a"
                + " required field", java.util.List.of(field.name())));
    }

    /** Stored numbers keep the field's scale (extra decimals round half-up, as the UI does). */
    static BigDecimal scaled(Field field, BigDecimal value) {
        return value.setScale(field.scale(), RoundingMode.HALF_UP);
    }

    static boolean isEmail(String value) {
        return EMAIL.matcher(value).matches();
    }

    /** The JSON form of a stored value. */
    public static Object toJson(Object value) {
        if (value instanceof Instant instant) {
            return DATETIME.format(instant);
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        return value;
    }
}
