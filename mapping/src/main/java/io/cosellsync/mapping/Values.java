package io.cosellsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The transforms of the field map, both ways. {@code toSalesforce} turns the Partner Center values of a row into one
 * Salesforce value; {@code toPartnerCenter} turns a Salesforce value back, given the referral's current values: when
 * the current values already map to that Salesforce value they are kept as they are, so a value Salesforce cannot
 * hold exactly (an empty text, 3 decimals, a time of day) never travels back as a change ({@link FieldMapper}).
 */
final class Values {

    static final int NAME_LIMIT = Transform.NAME_LENGTH;
    static final int CURRENCY_SCALE = 2;
    static final List<String> CHECK_MARKS = List.of(" ✔", " ✖");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final TenantMapping tenant;

    Values(TenantMapping tenant) {
        this.tenant = tenant;
    }

    Object toSalesforce(FieldRow row, List<JsonNode> in) {
        JsonNode first = in.isEmpty() ? null : in.get(0);
        return switch (row.transform()) {
            case TEXT -> emptyToNull(text(first));
            case NAME -> truncate(emptyToNull(text(first)));
            case DECIMAL -> decimal(row, first);
            case CURRENCY -> code(row, first, CURRENCY, "an ISO 4217 currency code");
            case COUNTRY_CODE -> code(row, first, COUNTRY, "a two-letter ISO 3166 country code");
            case UTC_DATE -> date(row, first);
            case STAGE -> stage(text(in.get(0)), text(in.get(1)));
            case PICKLIST -> picklist(row, text(first));
            case CHECKBOX -> first != null && first.asBoolean(false);
            case STREET -> street(text(in.get(0)), text(in.get(1)));
            case FIRST_PRESENT -> {
                String a = emptyToNull(text(in.get(0)));
                yield a != null ? a : emptyToNull(text(in.get(1)));
            }
            case REFERRAL_LINK -> tenant.referralLink(text(first));
            case CONSTANT_TRUE -> Boolean.TRUE;
        };
    }

    /** Partner Center values for a Salesforce value the current values do not already map to. */
    List<JsonNode> toPartnerCenter(FieldRow row, Object value, List<JsonNode> current) {
        return switch (row.transform()) {
            case TEXT, CURRENCY, COUNTRY_CODE -> Arrays.asList(node(value == null ? null : value.toString()));
            case NAME -> Arrays.asList(node(unmark(value == null ? null : value.toString())));
            case DECIMAL -> Arrays.asList(value == null ? null : DecimalNode.valueOf(new BigDecimal(value.toString())));
            case UTC_DATE -> Arrays.asList(node(value == null ? null
                    : LocalDate.parse(value.toString()).atStartOfDay(ZoneOffset.UTC).toInstant().toString()));
            case STAGE -> stageBack(value == null ? null : value.toString(), current);
            case PICKLIST -> Arrays.asList(node(picklistBack(row, value == null ? null : value.toString())));
            case CHECKBOX -> Arrays.asList(BooleanNode.valueOf(Boolean.TRUE.equals(value)));
            case STREET -> street(value == null ? null : value.toString());
            case FIRST_PRESENT -> Arrays.asList(node(value == null ? null : value.toString()), null);
            case REFERRAL_LINK, CONSTANT_TRUE -> current;
        };
    }

    /** Salesforce values compared as Salesforce compares them: decimals by value. */
    static Object normal(Object value) {
        if (value instanceof BigDecimal d) {
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static JsonNode node(String text) {
        return text == null ? null : TextNode.valueOf(text);
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String truncate(String s) {
        if (s == null || s.codePointCount(0, s.length()) <= NAME_LIMIT) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, NAME_LIMIT));
    }

    /** The name without the check mark Salesforce shows (only when the tenant shows check marks). */
    String unmark(String name) {
        return unmark(tenant, name);
    }

    static String unmark(TenantMapping tenant, String name) {
        if (name == null || !tenant.checkMark()) {
            return name;
        }
        for (String mark : CHECK_MARKS) {
            if (name.endsWith(mark)) {
                return name.substring(0, name.length() - mark.length());
            }
        }
        return name;
    }

    private static BigDecimal decimal(FieldRow row, JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            // Partner Center sometimes sends the deal value as a string
            BigDecimal value = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
            return value.setScale(CURRENCY_SCALE, RoundingMode.HALF_UP);
        } catch (NumberFormatException e) {
            throw new MappingException(row.partnerCenter().get(0) + " '" + node.asText() + "' is not a number");
        }
    }

    private static String code(FieldRow row, JsonNode node, Pattern shape, String what) {
        String value = emptyToNull(text(node));
        if (value == null) {
            return null;
        }
        String code = value.trim().toUpperCase(java.util.Locale.ROOT);
        if (!shape.matcher(code).matches()) {
            throw new MappingException(row.partnerCenter().get(0) + " '" + value + "' is not " + what);
        }
        return code;
    }

    private static String date(FieldRow row, JsonNode node) {
        String value = emptyToNull(text(node));
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).atZoneSameInstant(ZoneOffset.UTC).toLocalDate().toString();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value).atOffset(ZoneOffset.UTC).toLocalDate().toString();
            } catch (DateTimeParseException again) {
                throw new MappingException(row.partnerCenter().get(0) + " '" + value + "' is not a date-time");
            }
        }
    }

    private String stage(String status, String substatus) {
        if (status == null || "New".equals(status) || "None".equals(status)) {
            return tenant.pendingStage();
        }
        if ("Active".equals(status)) {
            return tenant.activeStage();
        }
        String stage = tenant.closedStages().get(substatus);
        if (stage == null) {
            throw new MappingException("status " + status + "/" + substatus + " has no stage (closedStages."
                    + substatus + ")");
        }
        return stage;
    }

    private List<JsonNode> stageBack(String stage, List<JsonNode> current) {
        String status = text(current.get(0));
        if (stage == null || "Closed".equals(status) || stage.equals(tenant.pendingStage())) {
            // closed referrals are never changed; changes in the pending stage are not sent
            return current;
        }
        Map<String, String> closed = tenant.closedStages();
        if (closed.containsValue(stage)) {
            String substatus;
            if (stage.equals(closed.get("Won"))) {
                substatus = "Won";
            } else if (("New".equals(status) || "None".equals(status)) && stage.equals(closed.get("Declined"))) {
                substatus = "Declined";
            } else if (stage.equals(closed.get("Lost"))) {
                substatus = "Lost";
            } else if (stage.equals(closed.get("Declined"))) {
                substatus = "Declined";
            } else {
                // only Partner Center expires a referral
                return current;
            }
            return Arrays.asList(node("Closed"), node(substatus));
        }
        return Arrays.asList(node("Active"), node("Accepted"));
    }

    private String picklist(FieldRow row, String code) {
        if (code == null || code.isEmpty() || "Unknown".equals(code)) {
            return null;
        }
        String value = tenant.picklists().get(row.picklist()).get(code);
        if (value == null) {
            throw new MappingException(row.partnerCenter().get(0) + " '" + code + "' has no Salesforce value (add it"
                    + " to picklists." + row.picklist() + ")");
        }
        return value;
    }

    private String picklistBack(FieldRow row, String value) {
        if (value == null) {
            return null;
        }
        return tenant.picklists().get(row.picklist()).entrySet().stream().filter(e -> e.getValue().equals(value))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new MappingException(row.salesforce() + " '"
                        + value + "' has no Partner Center value (add it to picklists." + row.picklist() + ")"));
    }

    private static String street(String line1, String line2) {
        line1 = emptyToNull(line1);
        line2 = emptyToNull(line2);
        if (line2 == null) {
            return line1;
        }
        return (line1 == null ? "" : line1) + "\n" + line2;
    }

    private static List<JsonNode> street(String value) {
        if (value == null) {
            return Arrays.asList(null, null);
        }
        int cut = value.indexOf('\n');
        List<JsonNode> lines = new ArrayList<>();
        lines.add(node(emptyToNull(cut < 0 ? value : value.substring(0, cut))));
        lines.add(cut < 0 ? null : node(emptyToNull(value.substring(cut + 1))));
        return lines;
    }
}
