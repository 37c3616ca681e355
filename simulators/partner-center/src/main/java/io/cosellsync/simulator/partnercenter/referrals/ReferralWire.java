package io.cosellsync.simulator.partnercenter.referrals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The referral's wire format. Input is matched to the canonical property names case-insensitively (the service
 * accepts {@code "Substatus"} as well as {@code "substatus"}); output always has every key of the canonical shape
 * ({@code wire/referral-template.json}), nulls included, camelCase, PascalCase enum values and UTC timestamps
 * with seven fractional digits.
 */
public final class ReferralWire {

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectNode TEMPLATE = loadTemplate();

    /** Canonical values of the enum properties, by JSON pointer. */
    private static final Map<String, List<String>> ENUMS = Map.of(
            "/status", List.of("None", "New", "Active", "Closed"),
            "/substatus", List.of("None", "Pending", "Received", "Accepted", "Won", "Lost", "Declined", "Expired"),
            "/type", List.of("Independent", "Shared"),
            "/qualification", List.of("None", "Direct", "MarketingQualified", "SalesQualified"),
            "/direction", List.of("Incoming", "Outgoing"));

    private static final Set<String> TIMESTAMPS = Set.of("/createdDateTime", "/updatedDateTime",
            "/expirationDateTime", "/acceptedDateTime", "/closedDateTime", "/details/closingDateTime",
            "/details/requirements/solutions/*/closingDateTime");

    private static final Set<String> DECIMALS = Set.of("/details/dealValue");

    private ReferralWire() {
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** Brings a request body (any casing, keys may be missing) to the canonical shape, or fails with 400. */
    public static ObjectNode shape(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw ValidationRule.MALFORMED_BODY.violation("the request body must be a referral JSON object");
        }
        return (ObjectNode) shape(input, TEMPLATE, "");
    }

    /** The canonical key set of a referral, as dotted paths: what a golden-shape test compares against. */
    public static ObjectNode template() {
        return TEMPLATE.deepCopy();
    }

    private static JsonNode shape(JsonNode input, JsonNode template, String path) {
        if (template.isObject()) {
            if (input != null && !input.isNull() && !input.isObject()) {
                throw ValidationRule.MALFORMED_BODY.violation("'" + name(path) + "' must be an object");
            }
            Map<String, JsonNode> byLowerName = new HashMap<>();
            if (input != null && input.isObject()) {
                input.properties().forEach(e -> byLowerName.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
            }
            ObjectNode out = NODES.objectNode();
            template.properties().forEach(e -> out.set(e.getKey(),
                    shape(byLowerName.get(e.getKey().toLowerCase(Locale.ROOT)), e.getValue(),
                            path + "/" + e.getKey())));
            return out;
        }
        if (template.isArray()) {
            if (input == null || input.isNull()) {
                return NODES.arrayNode();
            }
            if (!input.isArray()) {
                throw ValidationRule.MALFORMED_BODY.violation("'" + name(path) + "' must be an array");
            }
            if (template.isEmpty()) {
                return input.deepCopy();
            }
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < input.size(); i++) {
                out.add(shape(input.get(i), template.get(0), path + "/" + i));
            }
            return out;
        }
        if (input == null) {
            return template.deepCopy();
        }
        return scalar(input, path.replaceAll("/\\d+/", "/*/"));
    }

    private static JsonNode scalar(JsonNode value, String path) {
        if (value.isNull()) {
            return value;
        }
        if (value.isContainerNode()) {
            throw ValidationRule.MALFORMED_BODY.violation("'" + name(path) + "' must be a single value");
        }
        List<String> allowed = ENUMS.get(path);
        if (allowed != null) {
            String given = value.asText();
            return allowed.stream().filter(v -> v.equalsIgnoreCase(given)).findFirst().map(NODES::textNode)
                    .orElseThrow(() -> ValidationRule.ENUM_VALUE.violation("'" + name(path) + "' has an invalid value '" + given
                            + "'; allowed: " + String.join(", ", allowed)));
        }
        if (TIMESTAMPS.contains(path)) {
            return NODES.textNode(timestamp(parseTimestamp(value.asText(), path)));
        }
        if (DECIMALS.contains(path) && value.isTextual()) {
            try { // Partner Center's own samples send dealValue as a string
                return NODES.numberNode(new BigDecimal(value.asText().trim()));
            } catch (NumberFormatException e) {
                throw ValidationRule.DEAL_VALUE.violation("'" + name(path) + "' must be a number");
            }
        }
        return value;
    }

    static Instant parseTimestamp(String text, String path) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw ValidationRule.MALFORMED_BODY.violation("'" + name(path) + "' must be an ISO 8601 date-time");
            }
        }
    }

    private static String name(String path) {
        return path.isEmpty() ? "body" : path.substring(1).replace('/', '.');
    }

    private static ObjectNode loadTemplate() {
        try (InputStream in = ReferralWire.class.getClassLoader().getResourceAsStream("wire/referral-template.json")) {
            return (ObjectNode) new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
