package io.cosellsync.simulator.salesforce.data;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validation rule an org's admin defines (Setup → Object Manager → Validation Rules): when its error condition is
 * true of a record being saved, the save fails with {@code FIELD_CUSTOM_VALIDATION_EXCEPTION}, the rule's error
 * message, and its error location (a field, or none for the top of the page). Real rules are formulas; the
 * simulator offers the three conditions integrations meet most: a field left blank, a number below a minimum, a
 * text not matching a pattern.
 *
 * @param object       the object the rule belongs to, e.g. {@code Opportunity}
 * @param field        the field the condition reads
 * @param condition    {@code blank}, {@code lessThan} or {@code notMatching}
 * @param value        the minimum ({@code lessThan}) or the regular expression ({@code notMatching})
 * @param errorMessage what the save answers
 * @param errorField   where the error shows (reported in {@code fields}); null for the top of the page
 * @param active       inactive rules are kept and not evaluated
 */
public record ValidationRule(String object, String field, String condition, String value, String errorMessage,
        String errorField, boolean active) {

    public ValidationRule {
        if (object == null || field == null || errorMessage == null || errorMessage.isBlank()) {
            throw new IllegalArgumentException("a validation rule needs object, field and errorMessage");
        }
        if (!List.of("blank", "lessThan", "notMatching").contains(condition)) {
            throw new IllegalArgumentException("condition is blank, lessThan or notMatching");
        }
        if (!"blank".equals(condition) && (value == null || value.isBlank())) {
            throw new IllegalArgumentException("condition " + condition + " needs a value");
        }
        if ("lessThan".equals(condition)) {
            new BigDecimal(value);
        }
        if ("notMatching".equals(condition)) {
            Pattern.compile(value);
        }
    }

    /** Whether the record, as it would be saved (its values after the save), breaks this rule. */
    boolean brokenBy(Map<String, Object> record) {
        Object current = record.get(field);
        return switch (condition) {
            case "blank" -> current == null || current.toString().isBlank();
            case "lessThan" -> current instanceof Number n
                    && new BigDecimal(n.toString()).compareTo(new BigDecimal(value)) < 0;
            default -> current != null && !Pattern.compile(value).matcher(current.toString()).matches();
        };
    }

    RecordError error() {
        return new RecordError("FIELD_CUSTOM_VALIDATION_EXCEPTION", errorMessage,
                errorField == null ? List.of() : List.of(errorField));
    }
}
