package io.cosellsync.salesforcewriter.dryrun;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the salesforce-writer would write for one command, in a line an admin reads: "would create Opportunity for
 * referral …: Name 'Contoso deal', Amount 1200, …" or "would set Opportunity 006… Amount 1000 → 1200". Pure: the
 * opportunity as Salesforce holds it now comes in (null when there is none).
 */
public final class WouldWrite {

    private WouldWrite() {
    }

    /** An upsert of a referral's opportunity. */
    public static String upsert(UpsertOpportunityCommand command, JsonNode current) {
        if (current == null) {
            Map<String, Object> all = new LinkedHashMap<>(command.opportunityFields());
            all.putAll(command.createOnlyFields());
            all.putIfAbsent(command.externalIdField(), command.referralId());
            StringBuilder line = new StringBuilder("would create Opportunity for referral ").append(command.referralId())
                    .append(": ").append(values(all));
            if (command.account() != null) {
                line.append("; account matched by ").append(values(command.account().match()))
                        .append(" (created when none matches)");
            }
            for (ChildRecords children : command.children()) {
                if (!children.records().isEmpty()) {
                    line.append("; ").append(children.object()).append(' ').append(children.records().stream()
                            .map(r -> String.valueOf(r.get(children.matchField()))).toList());
                }
            }
            return line.toString();
        }
        List<String> changes = changes(command.opportunityFields(), current);
        if (command.stageMove() != null && command.stageMove().from().equals(current.path("StageName").asText())) {
            changes.add("StageName " + shown(current.path("StageName").asText()) + " → "
                    + shown(command.stageMove().to()));
        }
        String id = current.path("Id").asText();
        return changes.isEmpty() ? "would change nothing on Opportunity " + id + " (referral " + command.referralId()
                + ")" : "would set Opportunity " + id + " (referral " + command.referralId() + ") "
                        + String.join(", ", changes);
    }

    /** A write-back to an opportunity by its record Id. */
    public static String update(UpdateOpportunityCommand command, JsonNode current) {
        if (current == null) {
            return "would fail: Opportunity " + command.opportunityId() + " does not exist";
        }
        List<String> parts = changes(command.fields(), current);
        if (command.auditField() != null && command.reason() != null) {
            parts.add("add to " + command.auditField() + " " + shown(command.reason()));
        }
        if (command.mark() != null) {
            parts.add("mark the name " + (command.mark() == UpdateOpportunityCommand.Mark.SUCCEEDED ? "✔" : "✖"));
        }
        return parts.isEmpty() ? "would change nothing on Opportunity " + command.opportunityId()
                : "would set Opportunity " + command.opportunityId() + " " + String.join(", ", parts);
    }

    private static List<String> changes(Map<String, Object> fields, JsonNode current) {
        List<String> changes = new ArrayList<>();
        fields.forEach((field, value) -> {
            JsonNode now = current.get(field);
            Object before = now == null || now.isNull() ? null : now.isNumber() ? now.decimalValue()
                    : now.isBoolean() ? now.booleanValue() : now.asText();
            if (!same(before, value)) {
                changes.add(field + " " + shown(before) + " → " + shown(value));
            }
        });
        return changes;
    }

    private static boolean same(Object before, Object after) {
        if (before == null || after == null) {
            return before == after;
        }
        if (before instanceof BigDecimal b && after instanceof Number n) {
            return b.compareTo(new BigDecimal(n.toString())) == 0;
        }
        return String.valueOf(before).equals(String.valueOf(after));
    }

    private static String values(Map<String, Object> fields) {
        List<String> out = new ArrayList<>();
        fields.forEach((field, value) -> out.add(field + " " + shown(value)));
        return String.join(", ", out);
    }

    static String shown(Object value) {
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value instanceof BigDecimal b ? b.stripTrailingZeros().toPlainString() : value.toString();
        }
        String text = value.toString();
        return "'" + (text.length() > 80 ? text.substring(0, 77) + "…" : text) + "'";
    }
}
