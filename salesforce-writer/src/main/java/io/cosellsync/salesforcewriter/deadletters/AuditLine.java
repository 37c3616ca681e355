package io.cosellsync.salesforcewriter.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.outcome.DeadLetter;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * The Audit line of a dead letter, in words a seller or partner admin understands: ✖, the direction, what refused the
 * change and why (Partner Center's own error message, not its JSON), and what happens next. Dead letters are not
 * retried by themselves, so the line says how the change gets through: fixed and saved again in Salesforce, or
 * replayed by an operator. The line names no letter (operators find an opportunity's letters in the index), so the
 * same failure reported again — two commands for one opportunity refused alike — is the same line, and the trail
 * does not repeat it.
 */
public final class AuditLine {

    /** The reason is cut to this many characters: the trail is for people, the index keeps the whole reason. */
    static final int REASON_LIMIT = 400;
    private static final String PARTNER_CENTER_SAID = " — Partner Center said: ";

    private AuditLine() {
    }

    public static String failed(DeadLetter letter, LetterSubject subject) {
        String what = what(letter);
        String reason = reason(letter);
        String fix = hint(reason);
        String next = subject.toPartnerCenter()
                ? "Not retried by itself: fix " + (fix == null ? "it" : fix) + " in Salesforce and save the"
                        + " opportunity again, or ask an operator to replay its dead letter."
                : "Waits for an operator to replay its dead letter once the cause is fixed.";
        // a reason that already says what refused the change is not preceded by it again
        String told = reason.regionMatches(true, 0, what, 0, what.length()) ? reason : what + ": " + reason;
        return "✖ " + subject.direction() + ": " + told + ". " + next;
    }

    /** The line when a record's failed change got through later: ✔, the direction, which failures are resolved. */
    public static String resolved(boolean toPartnerCenter, List<DeadLetterIndex.Resolved> letters) {
        String direction = toPartnerCenter ? "Salesforce → Partner Center" : "Partner Center → Salesforce";
        DeadLetterIndex.Resolved latest = letters.stream().max(Comparator.comparing(
                DeadLetterIndex.Resolved::lastFailedAt)).orElseThrow();
        String which = letters.size() == 1 ? "the failure of " + latest.lastFailedAt().truncatedTo(ChronoUnit.SECONDS)
                + " (" + latest.reasonCode() + ") is resolved" : letters.size() + " earlier failures are resolved,"
                + " the latest of " + latest.lastFailedAt().truncatedTo(ChronoUnit.SECONDS);
        return "✔ " + direction + ": synced again; " + which + ".";
    }

    private static String what(DeadLetter letter) {
        String code = letter.reasonCode();
        if (code.startsWith("PARTNER_CENTER_REJECTED")) {
            String status = code.substring("PARTNER_CENTER_REJECTED".length()).replace("_", "");
            return "Partner Center refused the referral" + (status.isEmpty() ? "" : " (" + status + ")");
        }
        return switch (code) {
            case "REFERRAL_NOT_FOUND" -> "the referral no longer exists in Partner Center";
            case "MALFORMED_EVENT" -> "a change could not be read";
            case "UNMAPPABLE_REFERRAL" -> "the referral cannot become an opportunity";
            case "OPPORTUNITY_NOT_FOUND" -> "the opportunity no longer exists";
            default -> "salesforce-writer".equals(letter.service()) ? "Salesforce refused the change"
                    : "the change could not be synced";
        };
    }

    /** The reason on one line: Partner Center's error message alone where it sent one, not its error body. */
    static String reason(DeadLetter letter) {
        String reason = letter.reason();
        int said = reason.indexOf(PARTNER_CENTER_SAID);
        if (said >= 0) {
            String message = errorMessage(reason.substring(said + PARTNER_CENTER_SAID.length()));
            reason = message != null ? message : reason.substring(0, said);
        }
        reason = reason.replaceAll("\\s+", " ").strip();
        while (reason.endsWith(".")) {
            reason = reason.substring(0, reason.length() - 1);
        }
        return reason.length() <= REASON_LIMIT ? reason : reason.substring(0, REASON_LIMIT - 1) + "…";
    }

    /** Which of the seller's fields a Partner Center error is about, where it names one of the mapped values. */
    static String hint(String reason) {
        if (reason.contains("address.country")) {
            return "the account's Billing Country (a two-letter code such as DE)";
        }
        if (reason.contains("dealValue")) {
            return "the opportunity's Amount";
        }
        if (reason.contains("currency")) {
            return "the opportunity's currency";
        }
        if (reason.contains("contact")) {
            return "the opportunity's contact roles";
        }
        if (reason.contains("solution")) {
            return "the opportunity's Microsoft solutions";
        }
        return null;
    }

    private static String errorMessage(String body) {
        try {
            JsonNode error = EventCodec.mapper().readTree(body);
            for (JsonNode candidate : new JsonNode[] {error.path("error").path("message"), error.path("message"),
                    error.path("description")}) {
                if (candidate.isTextual() && !candidate.asText().isBlank()) {
                    return candidate.asText();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
