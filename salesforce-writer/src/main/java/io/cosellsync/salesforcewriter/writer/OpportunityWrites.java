package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceTime;
import io.cosellsync.salesforce.client.SaveResult;
import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.cosellsync.salesforce.client.Soql;
import io.cosellsync.salesforcewriter.persistence.Agreements;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Steps 3 and 6 of a batch: the opportunities. {@link #read} learns what the known opportunities hold now (and
 * adopts the seller's opportunity a referral was made from); {@link #write} builds each record (create-only fields
 * for a new one, the {@code latest} rule, the stage move, the check mark) and writes only what differs. An
 * opportunity that was read is updated by its record Id with just the fields that differ, on condition that nobody
 * saved it since the read ({@code If-Unmodified-Since} its {@code LastModifiedDate}); one saved since is read again
 * and decided again, so a seller's save between the read and the write is not overwritten (within one second of the
 * save read, Salesforce's whole-second stamps cannot tell). The others are upserted by the Referral Identifier, 200
 * per call. See ADR 0004, "A save between the writer's read and its write".
 */
@ApplicationScoped
class OpportunityWrites {

    private static final Logger LOG = Logger.getLogger(OpportunityWrites.class);
    static final int NAME_LIMIT = 120;
    static final String CHECK_MARK = " ✔";
    private static final int IN_LIMIT = 100;
    /**
     * In the sync state's {@code seen}, before a field's name: the opportunity's {@code SystemModstamp} when the field
     * was deferred, i.e. its value seen is Salesforce's, saved no later than that second.
     */
    static final String SAVED_AT = "@savedAt:";
    /** Reads of one batch's opportunities saved again and again before the batch waits for Salesforce. */
    static final int ROUNDS = 5;

    private final SalesforceClient salesforce;
    private final Agreements agreements;

    OpportunityWrites(SalesforceClient salesforce, Agreements agreements) {
        this.salesforce = salesforce;
        this.agreements = agreements;
    }

    /**
     * Reads, then writes; the opportunities saved since they were read are read and written again, up to
     * {@value #ROUNDS} rounds, after which the batch waits for Salesforce and is tried again.
     */
    Uni<Void> apply(TenantId tenant, List<Work> works) {
        return read(tenant, works).chain(() -> write(tenant, works)).chain(() -> again(tenant, works, 1));
    }

    private Uni<Void> again(TenantId tenant, List<Work> works, int round) {
        List<Work> waiting = works.stream().filter(w -> w.live() && w.readAgain).toList();
        if (waiting.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (round >= ROUNDS) {
            return Uni.createFrom().failure(savedAgain(tenant, recordId(waiting.get(0))));
        }
        for (Work w : waiting) {
            w.readAgain = false;
            w.deferred.clear();
        }
        return reread(tenant, waiting).chain(() -> agreed(tenant, waiting)).invoke(() -> conflicts(waiting))
                .chain(() -> write(tenant, waiting)).chain(() -> again(tenant, works, round + 1));
    }

    /** An opportunity saved again before each of {@value #ROUNDS} writes: the batch waits, as for Salesforce down. */
    static SalesforceUnavailable savedAgain(TenantId tenant, String opportunityId) {
        return new SalesforceUnavailable("opportunity " + opportunityId + " of tenant " + tenant.value()
                + " was saved again before each of " + ROUNDS + " writes; the batch is tried again later", null);
    }

    /** The opportunities read again: by the record Id known (an adopted one's, or the sync state's). */
    private Uni<Void> reread(TenantId tenant, List<Work> works) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Work> chunk : Soql.chunks(works, IN_LIMIT)) {
            chain = chain.chain(() -> read(tenant, chunk, OpportunityWrites::recordId)
                    .invoke(byId -> chunk.forEach(w -> w.current = byId.get(recordId(w))))).replaceWithVoid();
        }
        return chain;
    }

    private static String recordId(Work w) {
        return w.opportunityId != null ? w.opportunityId : w.command.opportunityId();
    }

    /**
     * Reads the opportunities the batch will update, before anything is written: the adopted ones, those the sync
     * state knows, and the {@code latest} fields both sides changed (left for the partnercenter-writer to decide).
     */
    Uni<Void> read(TenantId tenant, List<Work> works) {
        return adopt(tenant, works).chain(() -> current(tenant, works)).chain(() -> agreed(tenant, works))
                .invoke(() -> conflicts(works));
    }

    /** What the opportunities read last agreed on with their referrals ({@link Work#agreed}). */
    private Uni<Void> agreed(TenantId tenant, List<Work> works) {
        List<Work> read = works.stream().filter(w -> w.live() && w.current != null).toList();
        return agreements.load(tenant, read.stream().map(Work::referralId).distinct().toList()).invoke(byReferral ->
                read.forEach(w -> {
                    Agreements.Agreement agreement = byReferral.get(w.referralId());
                    if (agreement == null) {
                        return;
                    }
                    Map<String, Object> values = new HashMap<>();
                    agreement.fields().forEach((field, value) -> values.put(field, RecordValues.held(value)));
                    w.agreed = values;
                    w.agreedAt = agreement.agreedAt();
                    String version = w.command.referralETag();
                    w.echo = version != null && version.equals(agreement.writtenETag());
                    w.changedAt = agreement.changedAt();
                    w.lateEcho = version != null && !w.echo && agreement.recentETags().contains(version);
                    // the agreement's time is kept to the microsecond (rounded): the same version is never before it
                    w.beforeAgreement = w.agreedAt != null && w.command.sourceUpdatedAt() != null
                            && w.command.sourceUpdatedAt().plusMillis(1).isBefore(w.agreedAt);
                })).replaceWithVoid();
    }

    /**
     * Writes the opportunities that do not already hold every value: those read by record Id on condition, only the
     * differing fields; the rest upserted.
     */
    Uni<Void> write(TenantId tenant, List<Work> works) {
        List<Work> live = works.stream().filter(Work::live).toList();
        if (live.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // the stage a move starts from, as read before the batch (current() reads StageName for moves)
        Map<String, String> stages = new HashMap<>();
        live.stream().filter(w -> w.command.stageMove() != null && w.current != null)
                .forEach(w -> stages.put(w.current.path("Id").asText(), w.current.path("StageName").asText()));
        Map<String, List<Work>> byField = live.stream().collect(Collectors.groupingBy(
                w -> w.command.externalIdField(), LinkedHashMap::new, Collectors.toList()));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, List<Work>> group : byField.entrySet()) {
            List<Work> guarded = new ArrayList<>();
            List<Work> upserts = new ArrayList<>();
            for (Work w : group.getValue()) {
                w.record = opportunity(w, stages);
                if (RecordValues.holdsAll(w.current, w.record)) {
                    // nothing to change: no write, so no change event coming round again either
                    w.opportunityId = w.current.path("Id").asText();
                } else if (w.current == null) {
                    upserts.add(w);
                } else {
                    if (LOG.isDebugEnabled()) {
                        List<String> differing = RecordValues.differing(w.current, w.record);
                        Map<String, String> change = new LinkedHashMap<>();
                        differing.forEach(f -> change.put(f, w.current.path(f).asText() + " -> " + w.record.get(f)
                                + (w.agreed.containsKey(f) ? " (agreed " + w.agreed.get(f) + ")" : "")));
                        LOG.debugf("tenant %s: opportunity %s of referral %s written for %s: %s; the change of %s"
                                + " (version %s%s), the opportunity saved %s, agreed at %s", tenant.value(),
                                w.current.path("Id").asText(), w.referralId(), differing, change,
                                w.command.sourceUpdatedAt(), w.command.referralETag(), w.echo ? ", our echo"
                                        : w.lateEcho ? ", our late echo"
                                        : w.beforeAgreement ? ", older than the agreement" : "",
                                w.current.path("SystemModstamp").asText(), w.agreedAt);
                    }
                    guarded.add(w);
                }
            }
            if (!guarded.isEmpty()) {
                List<SalesforceClient.ConditionalUpdate> updates = guarded.stream().map(w -> {
                    Map<String, Object> changed = new LinkedHashMap<>();
                    RecordValues.differing(w.current, w.record).forEach(f -> changed.put(f, w.record.get(f)));
                    return new SalesforceClient.ConditionalUpdate(w.current.path("Id").asText(), changed,
                            lastModified(w.current));
                }).toList();
                chain = chain.chain(() -> RowLocks.retried(updates, r -> salesforce.updateUnlessModified(tenant,
                        "Opportunity", r)).invoke(results -> saved(guarded, results))).replaceWithVoid();
            }
            for (List<Work> chunk : Soql.chunks(upserts, SalesforceClient.COLLECTION_LIMIT)) {
                List<Map<String, Object>> records = chunk.stream().map(w -> w.record).toList();
                chain = chain.chain(() -> RowLocks.retried(records, r -> salesforce.upsert(tenant, "Opportunity",
                        group.getKey(), r)).invoke(results -> saved(chunk, results))).replaceWithVoid();
            }
        }
        return chain;
    }

    static Instant lastModified(JsonNode current) {
        String text = current.path("LastModifiedDate").asText(null);
        return SalesforceTime.parse(text != null ? text : current.path("SystemModstamp").asText(null));
    }

    private static void saved(List<Work> chunk, List<SaveResult> results) {
        for (int i = 0; i < chunk.size(); i++) {
            Work w = chunk.get(i);
            SaveResult r = results.get(i);
            if (r.success()) {
                w.opportunityId = r.id();
                w.created = r.created();
            } else if (r.modifiedSinceRead()) {
                // saved by someone since the read: read it again, decide again (nothing was written)
                w.readAgain = true;
            } else {
                w.fail(r.errorCode(), r.errorMessage());
            }
        }
    }

    /**
     * A referral we created from an opportunity names it ({@code opportunityId}): that opportunity is read (as
     * {@link #current} reads) and, when it holds no Referral Identifier or this one, adopted: updated by its record
     * Id with the identifier and the rest in one write, so no second opportunity is created while the write-back of
     * the identifier is still on its way. One holding another referral's identifier is left alone (with a note).
     */
    private Uni<Void> adopt(TenantId tenant, List<Work> works) {
        List<Work> named = works.stream().filter(w -> w.live() && w.opportunityId == null
                && w.command.opportunityId() != null).toList();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Work> chunk : Soql.chunks(named, IN_LIMIT)) {
            chain = chain.chain(() -> read(tenant, chunk, w -> w.command.opportunityId()).invoke(found -> {
                for (Work w : chunk) {
                    JsonNode row = found.get(w.command.opportunityId());
                    String field = w.command.externalIdField();
                    String holds = row == null || row.path(field).isNull() ? null : row.path(field).asText();
                    // the seller's opportunity: what is only written on creation stays as the seller has it
                    w.adopted = row != null && (holds == null || holds.equals(w.referralId()));
                    if (w.adopted) {
                        w.current = row;
                    } else if (row != null) {
                        w.notes.add("opportunity " + w.command.opportunityId() + " already belongs to referral "
                                + holds + "; referral " + w.referralId() + " gets its own");
                    }
                }
            })).replaceWithVoid();
        }
        return chain;
    }

    private Map<String, Object> opportunity(Work w, Map<String, String> stages) {
        UpsertOpportunityCommand c = w.command;
        Map<String, Object> record = new LinkedHashMap<>();
        boolean exists = w.previous != null || w.adopted;
        if (!exists) {
            // a new opportunity (or one whose creation was not recorded: these values are its initial ones)
            record.putAll(c.createOnlyFields());
            if (w.accountId != null) {
                record.put("AccountId", w.accountId);
            }
        }
        record.putAll(c.opportunityFields());
        if (exists) {
            unchangedLatest(w).forEach(record::remove);
            w.deferred.keySet().forEach(record::remove);
        }
        if (c.stageMove() != null && w.opportunityId != null
                && c.stageMove().from().equals(stages.get(w.opportunityId))) {
            record.put("StageName", c.stageMove().to());
        }
        if (c.checkMark() && record.get("Name") instanceof String name) {
            record.put("Name", marked(name));
        }
        record.put(c.externalIdField(), c.referralId());
        return record;
    }

    /**
     * The "latest" fields of an existing opportunity that Partner Center did not change since the writer last saw the
     * referral: left as Salesforce has them, so a seller's newer edit is not overwritten by a value Partner Center
     * merely still holds (the partnercenter-writer sends that edit on). None for a new or adopted opportunity, or a
     * state from before the values were kept. In the echo of the partnercenter-writer's own write ({@link Work#echo}),
     * also each field holding the value it agreed on: that value came from Salesforce, and the seller may have saved
     * the field again since. In a late echo ({@link Work#lateEcho}: of a write it made before its last), every one:
     * its values came from a Salesforce save older than the one the partnercenter-writer has sent since. In a change
     * older than the agreement ({@link Work#beforeAgreement}), every one too: Partner Center held a later state since.
     */
    static List<String> unchangedLatest(Work w) {
        UpsertOpportunityCommand c = w.command;
        Map<String, Object> seen = w.previous == null ? null : w.previous.seen();
        if (superseded(w)) {
            return c.latestFields();
        }
        return c.latestFields().stream().filter(f -> seen != null && seen.containsKey(f)
                && RecordValues.sameValue(seen.get(f), c.opportunityFields().get(f))
                || w.echo && w.agreed.containsKey(f) && RecordValues.sameValue(w.agreed.get(f),
                        c.opportunityFields().get(f))).toList();
    }

    /**
     * Whether none of the change's "latest" values is written, as a late echo or older than the agreement: they
     * are then not seen either (the sync state keeps the values seen before), so that a later change still holding
     * one of them — Partner Center's value that our own next PATCH left as it was — is written when it comes.
     */
    static boolean superseded(Work w) {
        return (w.lateEcho || w.beforeAgreement) && (w.previous != null || w.adopted);
    }

    /**
     * What the opportunities this batch updates hold now, read before anything is written ({@link Work#current}):
     * {@code Id}, {@code SystemModstamp} and every field a command may send. One query per 100 opportunities, only
     * for those known to exist from the sync state (an adopted one was read by {@link #adopt}). An opportunity not
     * found is left to the upsert.
     */
    private Uni<Void> current(TenantId tenant, List<Work> works) {
        List<Work> known = works.stream().filter(w -> w.live() && !w.adopted && w.opportunityId != null).toList();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Work> chunk : Soql.chunks(known, IN_LIMIT)) {
            chain = chain.chain(() -> read(tenant, chunk, w -> w.opportunityId)
                    .invoke(byId -> chunk.forEach(w -> w.current = byId.get(w.opportunityId)))).replaceWithVoid();
        }
        return chain;
    }

    /**
     * One query for the opportunities of a chunk (at most {@value #IN_LIMIT}) by record Id: {@code Id},
     * {@code SystemModstamp}, {@code LastModifiedDate}, the Referral Identifier and every field the commands may send
     * (the stage for a move).
     */
    private Uni<Map<String, JsonNode>> read(TenantId tenant, List<Work> chunk, Function<Work, String> id) {
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "SystemModstamp", "LastModifiedDate"));
        for (Work w : chunk) {
            fields.addAll(w.command.opportunityFields().keySet());
            fields.add(w.command.externalIdField());
            if (w.command.stageMove() != null) {
                fields.add("StageName");
            }
        }
        String soql = "SELECT " + String.join(", ", fields) + " FROM Opportunity WHERE Id IN "
                + Soql.in(chunk.stream().map(id).toList());
        return salesforce.query(tenant, "Opportunity", soql).map(rows -> {
            Map<String, JsonNode> byId = new HashMap<>();
            rows.forEach(r -> byId.put(r.path("Id").asText(), r));
            return byId;
        });
    }

    /**
     * "latest" fields Partner Center changed that Salesforce changed too: the opportunity's value is no longer the one
     * last seen from the referral (for an adopted opportunity, our own referral's, not the referral's value), and the
     * opportunity was saved after the referral's change. Those are not written ({@link Work#deferred}): the seller's
     * change, later, is on its way out, and the partnercenter-writer, which sees both sides and what they agreed on,
     * decides (and sets Partner Center's value back on the opportunity if it wins).
     */
    private static void conflicts(List<Work> works) {
        works.stream().filter(w -> w.live() && w.current != null
                && (w.adopted || w.previous != null && w.previous.seen() != null) && !changedLatest(w).isEmpty())
                .forEach(w -> w.deferred.putAll(changedLater(w, w.current)));
    }

    /** The "latest" fields whose value Partner Center changed since the writer last saw the referral (all at first). */
    private static List<String> changedLatest(Work w) {
        List<String> unchanged = unchangedLatest(w);
        return w.command.latestFields().stream().filter(f -> !unchanged.contains(f)).toList();
    }

    /**
     * The changed "latest" fields whose opportunity value also moved since last seen, when the opportunity was saved
     * after the referral's change (or in the same second: {@link #possiblyLater}): each with the opportunity's value,
     * which becomes the value seen (so Partner Center's next change of it is written again).
     */
    static Map<String, Object> changedLater(Work w, JsonNode row) {
        // in our echo, Partner Center's values date from its own last change, not from our PATCH
        if (row == null || !possiblyLater(SalesforceTime.parse(row.path("SystemModstamp").asText()),
                w.valuesChangedAt())) {
            return Map.of();
        }
        // what the opportunity held when the writer last looked: the referral's values then (or, adopted, now)
        Map<String, Object> seen = w.previous != null && w.previous.seen() != null ? w.previous.seen()
                : w.command.opportunityFields();
        Map<String, Object> later = new LinkedHashMap<>();
        for (String field : changedLatest(w)) {
            JsonNode value = row.get(field);
            Object current = RecordValues.held(value);
            if (field.equals("Name") && w.command.checkMark() && current instanceof String name) {
                current = OpportunityUpdateWriter.unmarked(name);
            }
            // the value seen may be the seller's, deferred before: still possibly later than this change unless
            // the change is provably after that save's second (a change from that second, read only now, is not)
            boolean moved = !RecordValues.sameValue(current, seen.get(field))
                    || seen.get(SAVED_AT + field) instanceof String savedAt && !savedAt.isEmpty()
                    && possiblyLater(SalesforceTime.parse(savedAt), w.valuesChangedAt());
            // a value both sides agreed on has reached Partner Center: its change of the field, made after the
            // agreement (a command read late may be older), is the later one. In our echo the agreement is this
            // very version, and the partnercenter-writer kept Partner Center's value as the only side that moved
            boolean stillAgreed = w.agreed.containsKey(field) && RecordValues.sameValue(current, w.agreed.get(field));
            if (moved && !(stillAgreed && (w.echo || w.agreedAt != null
                    && w.command.sourceUpdatedAt().isAfter(w.agreedAt)))) {
                later.put(field, current);
            }
        }
        if (!later.isEmpty()) {
            w.notes.add("not written, changed in Salesforce after this referral change (decided on the way out): "
                    + String.join(", ", later.keySet()));
        }
        return later;
    }

    /**
     * Whether a save stamped {@code stamp} (whole seconds: made within the second that follows) may have come after
     * {@code change}: a save in the same second as Partner Center's change is not known to be earlier.
     */
    static boolean possiblyLater(Instant stamp, Instant change) {
        return stamp.plusSeconds(1).isAfter(change);
    }

    /** The name with the check mark, when it still fits Salesforce's 120 characters; never two marks. */
    static String marked(String name) {
        // the command carries the referral's own name, so the mark is added once, never to a marked name
        return fits(name + CHECK_MARK) ? name + CHECK_MARK : name;
    }

    private static boolean fits(String name) {
        return name.codePointCount(0, name.length()) <= NAME_LIMIT;
    }
}
