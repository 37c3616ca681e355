package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SaveResult;
import io.cosellsync.salesforcewriter.persistence.Agreements;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Write-backs to opportunities addressed by their record Id (the referral id, link and Microsoft CRM id, the check
 * mark, the Audit trail). Never creates a record: the opportunities are read first (one query per 200 ids) and a
 * missing one is a failure. Each is updated on condition that nobody saved it since that read (in a later second:
 * Salesforce's stamps have whole seconds, so a read within the second of the opportunity's last save is taken again
 * once that second is over: {@link SettledReads}); one saved since is read and applied again, so a seller's save or
 * another write-back (an Audit line) in between is not lost. Only what differs is written — a field already holding
 * the value, a mark already shown, an Audit trail whose newest line already says the same — so a write-back that comes
 * round again (through change events and the mapper) makes no call and the loop ends. Several commands for one
 * opportunity in a batch become one record, applied in order.
 */
@ApplicationScoped
public class OpportunityUpdateWriter {

    private static final Logger LOG = Logger.getLogger(OpportunityUpdateWriter.class);

    static final String SUCCEEDED = "✔";
    static final String FAILED = "✖";
    /** The Audit field is a long text area; the trail keeps its newest lines within this many characters. */
    static final int AUDIT_LIMIT = 32_000;

    private final SalesforceClient salesforce;
    private final Agreements agreements;
    private final Clock clock;

    @Inject
    public OpportunityUpdateWriter(SalesforceClient salesforce, Agreements agreements) {
        this.salesforce = salesforce;
        this.agreements = agreements;
        this.clock = Clock.systemUTC();
    }

    public record Pending(int index, UpdateOpportunityCommand command) {
    }

    /** How one command ended: written, nothing to write, or failed with Salesforce's code and message. */
    public record Outcome(int index, String opportunityId, WriteResult result, String failureCode,
            String failureMessage) {
    }

    public Uni<List<Outcome>> apply(TenantId tenant, List<Pending> pending) {
        return round(tenant, pending, 1);
    }

    /**
     * One read-then-write of the commands; those whose opportunity was saved since it was read are read and applied
     * again, up to {@value OpportunityWrites#ROUNDS} rounds, after which the batch waits for Salesforce.
     */
    private Uni<List<Outcome>> round(TenantId tenant, List<Pending> pending, int round) {
        if (pending.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return settledRead(tenant, pending, true).chain(current -> agreed(tenant, pending)
                .chain(agreed -> write(tenant, pending, current, agreed))).chain(written -> {
            if (written.again().isEmpty()) {
                return Uni.createFrom().item(written.outcomes());
            }
            if (round >= OpportunityWrites.ROUNDS) {
                return Uni.createFrom().failure(OpportunityWrites.savedAgain(tenant,
                        written.again().get(0).command().opportunityId()));
            }
            return round(tenant, written.again(), round + 1).map(more -> {
                List<Outcome> all = new ArrayList<>(written.outcomes());
                all.addAll(more);
                return all;
            });
        });
    }

    /**
     * The commands' opportunities as they are now, by record Id; read again once the second of their stamps is over
     * when the read began within it ({@link SettledReads}), so the conditional write sees any save made since.
     */
    private Uni<Map<String, JsonNode>> settledRead(TenantId tenant, List<Pending> pending, boolean mayWait) {
        List<String> ids = pending.stream().map(p -> p.command().opportunityId()).distinct().toList();
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "Name", "LastModifiedDate", "SystemModstamp"));
        for (Pending p : pending) {
            fields.addAll(p.command().fields().keySet());
            if (p.command().auditField() != null) {
                fields.add(p.command().auditField());
            }
        }
        List<Uni<List<JsonNode>>> reads = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += SalesforceClient.COLLECTION_LIMIT) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + SalesforceClient.COLLECTION_LIMIT));
            reads.add(salesforce.query(tenant, "Opportunity", "SELECT " + String.join(", ", fields)
                    + " FROM Opportunity WHERE Id IN (" + chunk.stream().map(id -> "'" + id.replace("'", "")
                            + "'").collect(Collectors.joining(", ")) + ")"));
        }
        Instant readStarted = clock.instant();
        return Uni.join().all(reads).andFailFast().chain(pages -> {
            Map<String, JsonNode> current = new LinkedHashMap<>();
            pages.forEach(page -> page.forEach(row -> current.put(row.path("Id").asText(), row)));
            Optional<Duration> wait = mayWait ? SettledReads.wait(current.values(), readStarted, clock.instant())
                    : Optional.empty();
            return wait.isEmpty() ? Uni.createFrom().item(current)
                    : SettledReads.after(wait.get()).chain(() -> settledRead(tenant, pending, false));
        });
    }

    /** The agreements of the opportunities that values are set back on, by opportunity (none asked otherwise). */
    private Uni<Map<String, Agreements.Agreement>> agreed(TenantId tenant, List<Pending> pending) {
        List<String> ids = pending.stream().filter(p -> !p.command().expected().isEmpty())
                .map(p -> p.command().opportunityId()).distinct().toList();
        return agreements.ofOpportunities(tenant, ids);
    }

    /** What one round wrote, and the commands to read and apply again. */
    private record Written(List<Outcome> outcomes, List<Pending> again) {
    }

    private Uni<Written> write(TenantId tenant, List<Pending> pending, Map<String, JsonNode> current,
            Map<String, Agreements.Agreement> agreed) {
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        Map<String, List<Pending>> byId = new LinkedHashMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Pending p : pending) {
            UpdateOpportunityCommand c = p.command();
            JsonNode row = current.get(c.opportunityId());
            if (row == null) {
                outcomes.add(new Outcome(p.index(), c.opportunityId(), WriteResult.FAILED, "OPPORTUNITY_NOT_FOUND",
                        "opportunity " + c.opportunityId() + " does not exist (deleted or merged); nothing is created"));
                continue;
            }
            Map<String, Object> record = records.computeIfAbsent(c.opportunityId(), id -> new LinkedHashMap<>());
            byId.computeIfAbsent(c.opportunityId(), id -> new ArrayList<>()).add(p);
            c.fields().forEach((field, value) -> {
                if (c.expected().containsKey(field) && !heldBefore(row, field, c.expected().get(field))) {
                    return; // saved since Partner Center's value won over it: the later save stands
                }
                if (c.expected().containsKey(field) && supersededBy(agreed.get(c.opportunityId()), field, value)) {
                    return; // a later comparison agreed on another value: this one is no longer Partner Center's
                }
                if (!same(row.get(field), value)) {
                    record.put(field, value);
                } else {
                    record.remove(field);
                }
            });
            if (c.mark() != null) {
                String name = (String) record.getOrDefault("Name", row.path("Name").asText());
                String marked = marked(name, c.mark() == UpdateOpportunityCommand.Mark.SUCCEEDED ? SUCCEEDED : FAILED);
                if (!marked.equals(row.path("Name").asText())) {
                    record.put("Name", marked);
                } else {
                    record.remove("Name");
                }
            }
            if (c.auditField() != null && c.reason() != null) {
                String trail = (String) record.getOrDefault(c.auditField(), text(row.get(c.auditField())));
                String next = audited(trail, c.reason(), clock.instant());
                if (!Objects.equals(next, trail)) {
                    record.put(c.auditField(), next);
                }
            }
        }
        List<SalesforceClient.ConditionalUpdate> changed = new ArrayList<>();
        List<Pending> again = new ArrayList<>();
        records.forEach((id, fields) -> {
            if (fields.isEmpty()) {
                return;
            }
            changed.add(new SalesforceClient.ConditionalUpdate(id, fields,
                    OpportunityWrites.lastModified(current.get(id))));
            if (LOG.isDebugEnabled()) {
                Map<String, String> change = new LinkedHashMap<>();
                fields.forEach((f, v) -> change.put(f, current.get(id).path(f).asText() + " -> " + v));
                LOG.debugf("tenant %s: opportunity %s (saved %s) written back: %s", tenant.value(), id,
                        current.get(id).path("SystemModstamp").asText(), change);
            }
        });
        Uni<List<SaveResult>> saved = changed.isEmpty() ? Uni.createFrom().item(List.of())
                : salesforce.updateUnlessModified(tenant, "Opportunity", changed);
        return saved.map(results -> {
            Map<String, SaveResult> byRecord = new LinkedHashMap<>();
            for (int i = 0; i < results.size(); i++) {
                byRecord.put(changed.get(i).id(), results.get(i));
            }
            byId.forEach((id, commands) -> {
                SaveResult result = byRecord.get(id);
                if (result != null && result.modifiedSinceRead()) {
                    again.addAll(commands); // saved by someone since the read: read it again, apply again
                    return;
                }
                for (Pending p : commands) {
                    if (result == null) {
                        outcomes.add(new Outcome(p.index(), id, WriteResult.UNCHANGED, null, null));
                    } else if (result.success()) {
                        outcomes.add(new Outcome(p.index(), id, WriteResult.APPLIED, null, null));
                    } else {
                        outcomes.add(new Outcome(p.index(), id, WriteResult.FAILED, result.errorCode(),
                                result.errorMessage()));
                    }
                }
            });
            return new Written(outcomes, again);
        });
    }

    /** Whether the opportunity still holds the value Partner Center's won over (a name compared without its mark). */
    /**
     * Whether the pair's agreement, made by a comparison after the one that set this value back, holds another value
     * of the field: the write-back is late (delayed behind a restart, say), and Partner Center has moved on.
     */
    private static boolean supersededBy(Agreements.Agreement agreement, String field, Object value) {
        if (agreement == null || !agreement.fields().containsKey(field)) {
            return false;
        }
        return !RecordValues.sameValue(RecordValues.held(agreement.fields().get(field)), value);
    }

    private static boolean heldBefore(JsonNode row, String field, Object before) {
        JsonNode now = row.get(field);
        if (field.equals("Name") && before instanceof String name && now != null) {
            return unmarked(now.asText()).equals(unmarked(name));
        }
        return RecordValues.sameValue(RecordValues.held(now), before);
    }

    /** The name with exactly one mark at its end (either mark replaced), when it fits the 120 characters. */
    static String marked(String name, String mark) {
        String bare = unmarked(name);
        String withMark = bare + " " + mark;
        return withMark.codePointCount(0, withMark.length()) <= OpportunityWrites.NAME_LIMIT ? withMark : bare;
    }

    static String unmarked(String name) {
        String bare = name == null ? "" : name.strip();
        while (bare.endsWith(SUCCEEDED) || bare.endsWith(FAILED)) {
            bare = bare.substring(0, bare.length() - 1).strip();
        }
        return bare;
    }

    /**
     * The trail with {@code reason} as its newest line (time-stamped), unless the newest line already says it; the
     * oldest lines go when the trail would outgrow the field.
     */
    static String audited(String trail, String reason, Instant at) {
        String oneLine = reason.replaceAll("\\s+", " ").strip();
        String newest = trail == null || trail.isEmpty() ? "" : trail.lines().findFirst().orElse("");
        if (newest.endsWith(" " + oneLine)) {
            return trail;
        }
        StringBuilder next = new StringBuilder(at.truncatedTo(ChronoUnit.SECONDS).toString()).append(' ')
                .append(oneLine);
        if (trail != null && !trail.isEmpty()) {
            for (String line : trail.lines().toList()) {
                if (next.length() + 1 + line.length() > AUDIT_LIMIT) {
                    break;
                }
                next.append('\n').append(line);
            }
        }
        return next.length() > AUDIT_LIMIT ? next.substring(0, AUDIT_LIMIT) : next.toString();
    }

    private static boolean same(JsonNode current, Object wanted) {
        if (current == null || current.isNull()) {
            return wanted == null;
        }
        if (wanted instanceof BigDecimal d) {
            return current.isNumber() && current.decimalValue().compareTo(d) == 0;
        }
        if (wanted instanceof Boolean b) {
            return current.isBoolean() && current.asBoolean() == b;
        }
        return wanted != null && current.asText().equals(wanted.toString());
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
