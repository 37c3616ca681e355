package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.support.salesforce.SalesforceClient;
import io.cosellsync.support.salesforce.SalesforceTime;
import io.cosellsync.support.salesforce.SalesforceUnavailable;
import io.cosellsync.support.salesforce.SaveResult;
import io.cosellsync.salesforcewriter.persistence.SyncState;
import io.cosellsync.salesforcewriter.persistence.SyncStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Applies a batch of one tenant's upsert commands to Salesforce, one object type at a time and at most 200 records
 * per call: accounts (matched by the tenant's rule through the account links, then a query, before any is created),
 * opportunities (upserted by the Referral Identifier external id), then contacts and contact roles, solutions and
 * team members, whose Salesforce ids live in the sync state. A command older than the state or identical to what
 * was applied makes no call; an opportunity that already holds every value to be written is not written. The sync state is written after Salesforce, and the caller acknowledges Kafka after
 * that: a crash anywhere repeats at most idempotent writes.
 */
@ApplicationScoped
public class OpportunityUpsertWriter {

    private static final Logger LOG = Logger.getLogger(OpportunityUpsertWriter.class);
    static final int NAME_LIMIT = 120;
    static final String CHECK_MARK = " ✔";
    private static final int IN_LIMIT = 100;
    /** A claim on a new customer's account older than this is taken over: its writer died before creating it. */
    static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper CANONICAL = EventCodec.mapper().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final SalesforceClient salesforce;
    private final SyncStates states;

    public OpportunityUpsertWriter(SalesforceClient salesforce, SyncStates states) {
        this.salesforce = salesforce;
        this.states = states;
    }

    /** How one command ended. */
    public record Outcome(int index, String referralId, WriteResult result, String opportunityId, boolean created,
            String failureCode, String failureMessage, List<String> notes) {
    }

    /** A command to apply, with its position in the batch and its source version (the referral's eTag). */
    public record Pending(int index, UpsertOpportunityCommand command, String sourceVersion) {
    }

    /**
     * Applies the commands; fails with {@link SalesforceUnavailable} when Salesforce cannot take them now (nothing
     * is recorded then, and the whole batch is applied again later).
     */
    public Uni<List<Outcome>> apply(TenantId tenant, List<Pending> pending) {
        List<Work> works = new ArrayList<>();
        for (Pending p : pending) {
            works.add(new Work(p.index(), p.command(), p.sourceVersion(), fingerprint(p.command())));
        }
        // within a batch only the newest command of a referral counts
        Map<String, Work> newest = new LinkedHashMap<>();
        for (Work w : works) {
            Work other = newest.get(w.referralId());
            if (other == null || !w.command.sourceUpdatedAt().isBefore(other.command.sourceUpdatedAt())) {
                if (other != null) {
                    other.result = WriteResult.STALE;
                }
                newest.put(w.referralId(), w);
            } else {
                w.result = WriteResult.STALE;
            }
        }
        return states.load(tenant, newest.keySet()).chain(previous -> {
            for (Work w : newest.values()) {
                SyncState state = previous.get(w.referralId());
                w.previous = state;
                if (state != null) {
                    if (w.command.sourceUpdatedAt().isBefore(state.sourceUpdatedAt())) {
                        w.result = WriteResult.STALE;
                    } else if (w.fingerprint.equals(state.fingerprint())) {
                        w.result = WriteResult.UNCHANGED;
                    } else {
                        w.accountId = state.accountId();
                        w.opportunityId = state.opportunityId();
                        w.children.putAll(copy(state.children()));
                    }
                }
            }
            List<Work> live = newest.values().stream().filter(Work::live).toList();
            return accounts(tenant, live)
                    .chain(() -> adopt(tenant, live))
                    .chain(() -> current(tenant, live))
                    .invoke(() -> conflicts(live))
                    .chain(() -> opportunities(tenant, live))
                    .chain(() -> children(tenant, live))
                    .chain(() -> save(tenant, live));
        }).map(ignored -> works.stream().map(w -> new Outcome(w.index, w.referralId(),
                w.result == null ? WriteResult.APPLIED : w.result, w.opportunityId, w.created, w.failureCode,
                w.failureMessage, List.copyOf(w.notes))).toList());
    }

    private Uni<Void> save(TenantId tenant, List<Work> works) {
        List<SyncState> next = new ArrayList<>();
        for (Work w : works) {
            if (w.live() && w.opportunityId != null) {
                Map<String, Object> seen = new LinkedHashMap<>();
                w.command.latestFields().forEach(f -> seen.put(f, w.command.opportunityFields().get(f)));
                seen.putAll(w.deferred); // left as Salesforce has them: that is what the opportunity holds
                next.add(new SyncState(w.referralId(), w.command.sourceUpdatedAt(), w.sourceVersion, w.fingerprint,
                        w.opportunityId, w.accountId, w.children, seen));
            }
        }
        return states.save(tenant, next);
    }

    // ---- accounts ---------------------------------------------------------------------------------------------

    private Uni<Void> accounts(TenantId tenant, List<Work> works) {
        Map<String, List<Work>> byKey = new LinkedHashMap<>();
        for (Work w : works) {
            if (w.live() && w.accountId == null && w.command.account() != null) {
                byKey.computeIfAbsent(matchKey(w.command.account().match()), k -> new ArrayList<>()).add(w);
            }
        }
        if (byKey.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return states.accounts(tenant, byKey.keySet()).chain(linked -> {
            linked.forEach((key, id) -> byKey.remove(key).forEach(w -> w.accountId = id));
            return findAccounts(tenant, byKey).chain(found -> {
                found.forEach((key, id) -> byKey.get(key).forEach(w -> w.accountId = id));
                List<String> missing = byKey.keySet().stream().filter(k -> !found.containsKey(k)).toList();
                // a new customer's account is claimed first, so two writer replicas never both create it
                return states.claim(tenant, missing, Instant.now().minus(CLAIM_TIMEOUT)).chain(claimed -> {
                    List<String> elsewhere = missing.stream().filter(k -> !claimed.contains(k)).toList();
                    if (!elsewhere.isEmpty()) {
                        return states.link(tenant, found).chain(() -> Uni.createFrom().failure(
                                new AccountBeingCreated(elsewhere.size())));
                    }
                    return createAccounts(tenant, byKey, missing)
                            .onFailure().call(() -> states.release(tenant, missing).onFailure().recoverWithNull())
                            .chain(created -> {
                                Map<String, String> links = new HashMap<>(found);
                                links.putAll(created);
                                return states.link(tenant, links).chain(() -> states.release(tenant,
                                        missing.stream().filter(k -> !created.containsKey(k)).toList()));
                            });
                });
            });
        });
    }

    private Uni<Map<String, String>> findAccounts(TenantId tenant, Map<String, List<Work>> byKey) {
        if (byKey.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        List<Map<String, Object>> matches = byKey.values().stream().map(ws -> ws.get(0).command.account().match())
                .toList();
        List<String> fields = new ArrayList<>(matches.get(0).keySet());
        Map<String, String> found = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Map<String, Object>> chunk : chunks(matches, IN_LIMIT)) {
            StringBuilder where = new StringBuilder();
            for (String field : fields) {
                where.append(where.length() == 0 ? "" : " AND ").append(field).append(" IN (").append(chunk.stream()
                        .map(m -> literal(m.get(field))).distinct().collect(Collectors.joining(","))).append(')');
            }
            String soql = "SELECT Id, " + String.join(", ", fields) + " FROM Account WHERE " + where
                    + " ORDER BY CreatedDate";
            chain = chain.chain(() -> salesforce.query(tenant, "Account", soql).invoke(rows -> {
                for (JsonNode row : rows) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    fields.forEach(f -> values.put(f, row.path(f).isNull() ? null : row.path(f).asText()));
                    found.putIfAbsent(matchKey(values), row.path("Id").asText());
                }
            })).replaceWithVoid();
        }
        return chain.map(ignored -> {
            found.keySet().retainAll(byKey.keySet());
            return found;
        });
    }

    private Uni<Map<String, String>> createAccounts(TenantId tenant, Map<String, List<Work>> byKey,
            List<String> keys) {
        Map<String, String> created = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<String> chunk : chunks(keys, SalesforceClient.COLLECTION_LIMIT)) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (String key : chunk) {
                var account = byKey.get(key).get(0).command.account();
                Map<String, Object> record = new LinkedHashMap<>(account.createOnlyFields());
                record.putAll(account.fields());
                record.putAll(account.match());
                records.add(record);
            }
            chain = chain.chain(() -> writeRetrying(() -> salesforce.create(tenant, "Account", records))
                    .invoke(results -> {
                        for (int i = 0; i < chunk.size(); i++) {
                            SaveResult r = results.get(i);
                            List<Work> ws = byKey.get(chunk.get(i));
                            if (r.success()) {
                                created.put(chunk.get(i), r.id());
                                ws.forEach(w -> w.accountId = r.id());
                            } else {
                                ws.forEach(w -> w.fail(r.errorCode(), "the customer account could not be created: "
                                        + r.errorMessage()));
                            }
                        }
                    })).replaceWithVoid();
        }
        return chain.replaceWith(created);
    }

    // ---- opportunities ----------------------------------------------------------------------------------------

    private Uni<Void> opportunities(TenantId tenant, List<Work> works) {
        List<Work> live = works.stream().filter(Work::live).toList();
        if (live.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // the stage a move starts from, as read before the batch (current() reads StageName for moves)
        Map<String, String> stages = new HashMap<>();
        live.stream().filter(w -> w.command.stageMove() != null && w.opportunityId != null && w.current != null)
                .forEach(w -> stages.put(w.opportunityId, w.current.path("StageName").asText()));
        Map<String, List<Work>> byField = live.stream().collect(Collectors.groupingBy(
                w -> w.command.externalIdField(), LinkedHashMap::new, Collectors.toList()));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, List<Work>> group : byField.entrySet()) {
            List<Work> writing = new ArrayList<>();
            for (Work w : group.getValue()) {
                w.record = opportunity(w, stages);
                if (holdsAll(w.current, w.record)) {
                    // nothing to change: no write, so no change event coming round again either
                    w.opportunityId = w.current.path("Id").asText();
                } else {
                    if (w.current != null && LOG.isDebugEnabled()) {
                        LOG.debugf("tenant %s: opportunity %s of referral %s written for %s", tenant.value(),
                                w.current.path("Id").asText(), w.referralId(), differing(w.current, w.record));
                    }
                    writing.add(w);
                }
            }
            // the seller's opportunity is updated by its record Id, the Referral Identifier with the rest: one write
            List<Work> byId = writing.stream().filter(w -> w.adopted && w.opportunityId == null).toList();
            List<Work> upserts = writing.stream().filter(w -> !byId.contains(w)).toList();
            for (List<Work> chunk : chunks(byId, SalesforceClient.COLLECTION_LIMIT)) {
                List<Map<String, Object>> records = chunk.stream().map(w -> {
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("Id", w.command.opportunityId());
                    record.putAll(w.record);
                    return record;
                }).toList();
                chain = chain.chain(() -> writeRetrying(() -> salesforce.update(tenant, "Opportunity", records))
                        .invoke(results -> saved(chunk, results))).replaceWithVoid();
            }
            for (List<Work> chunk : chunks(upserts, SalesforceClient.COLLECTION_LIMIT)) {
                List<Map<String, Object>> records = chunk.stream().map(w -> w.record).toList();
                chain = chain.chain(() -> writeRetrying(() -> salesforce.upsert(tenant, "Opportunity",
                        group.getKey(), records)).invoke(results -> saved(chunk, results))).replaceWithVoid();
            }
        }
        return chain;
    }

    private static void saved(List<Work> chunk, List<SaveResult> results) {
        for (int i = 0; i < chunk.size(); i++) {
            Work w = chunk.get(i);
            SaveResult r = results.get(i);
            if (r.success()) {
                w.opportunityId = r.id();
                w.created = r.created();
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
        for (List<Work> chunk : chunks(named, IN_LIMIT)) {
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
     * state from before the values were kept.
     */
    static List<String> unchangedLatest(Work w) {
        UpsertOpportunityCommand c = w.command;
        Map<String, Object> seen = w.previous == null ? null : w.previous.seen();
        if (seen == null) {
            return List.of();
        }
        return c.latestFields().stream().filter(f -> seen.containsKey(f)
                && sameValue(seen.get(f), c.opportunityFields().get(f))).toList();
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
        for (List<Work> chunk : chunks(known, IN_LIMIT)) {
            chain = chain.chain(() -> read(tenant, chunk, w -> w.opportunityId)
                    .invoke(byId -> chunk.forEach(w -> w.current = byId.get(w.opportunityId)))).replaceWithVoid();
        }
        return chain;
    }

    /**
     * One query for the opportunities of a chunk (at most {@value #IN_LIMIT}) by record Id: {@code Id},
     * {@code SystemModstamp}, the Referral Identifier and every field the commands may send (the stage for a move).
     */
    private Uni<Map<String, JsonNode>> read(TenantId tenant, List<Work> chunk, Function<Work, String> id) {
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "SystemModstamp"));
        for (Work w : chunk) {
            fields.addAll(w.command.opportunityFields().keySet());
            fields.add(w.command.externalIdField());
            if (w.command.stageMove() != null) {
                fields.add("StageName");
            }
        }
        String soql = "SELECT " + String.join(", ", fields) + " FROM Opportunity WHERE Id IN ("
                + chunk.stream().map(w -> literal(id.apply(w))).distinct().collect(Collectors.joining(",")) + ")";
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

    /**
     * Whether the opportunity as read already holds every value of the record to be written (numbers by value): then
     * the write would change nothing but its modification stamp, and it is not made.
     */
    static boolean holdsAll(JsonNode current, Map<String, Object> record) {
        return current != null && differing(current, record).isEmpty();
    }

    /** The record's fields whose value the opportunity as read does not hold (all, when it was not read). */
    static List<String> differing(JsonNode current, Map<String, Object> record) {
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, Object> field : record.entrySet()) {
            JsonNode value = current.get(field.getKey());
            Object held = value == null || value.isNull() ? null : CANONICAL.convertValue(value, Object.class);
            if (value == null || !sameValue(held, field.getValue())) {
                differing.add(field.getKey());
            }
        }
        return differing;
    }

    /** The "latest" fields whose value Partner Center changed since the writer last saw the referral (all at first). */
    private static List<String> changedLatest(Work w) {
        List<String> unchanged = unchangedLatest(w);
        return w.command.latestFields().stream().filter(f -> !unchanged.contains(f)).toList();
    }

    /**
     * The changed "latest" fields whose opportunity value also moved since last seen, when the opportunity was saved
     * after the referral's change: each with the opportunity's value, which becomes the value seen (so Partner
     * Center's next change of it is written again).
     */
    static Map<String, Object> changedLater(Work w, JsonNode row) {
        if (row == null || !SalesforceTime.parse(row.path("SystemModstamp").asText())
                .isAfter(w.command.sourceUpdatedAt())) {
            return Map.of();
        }
        // what the opportunity held when the writer last looked: the referral's values then (or, adopted, now)
        Map<String, Object> seen = w.previous != null && w.previous.seen() != null ? w.previous.seen()
                : w.command.opportunityFields();
        Map<String, Object> later = new LinkedHashMap<>();
        for (String field : changedLatest(w)) {
            JsonNode value = row.get(field);
            Object current = value == null || value.isNull() ? null : CANONICAL.convertValue(value, Object.class);
            if (field.equals("Name") && w.command.checkMark() && current instanceof String name) {
                current = OpportunityUpdateWriter.unmarked(name);
            }
            if (!sameValue(current, seen.get(field))) {
                later.put(field, current);
            }
        }
        if (!later.isEmpty()) {
            w.notes.add("not written, changed in Salesforce after this referral change (decided on the way out): "
                    + String.join(", ", later.keySet()));
        }
        return later;
    }

    /** Equal as JSON values: numbers by value (a stored 45000 is the command's 45000.00). */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }

    /** The name with the check mark, when it still fits Salesforce's 120 characters; never two marks. */
    static String marked(String name) {
        // the command carries the referral's own name, so the mark is added once, never to a marked name
        return fits(name + CHECK_MARK) ? name + CHECK_MARK : name;
    }

    private static boolean fits(String name) {
        return name.codePointCount(0, name.length()) <= NAME_LIMIT;
    }

    // ---- contacts, solutions, sellers -------------------------------------------------------------------------

    private record Kind(String object, String link, String matchField) {
    }

    private record Desired(Work work, String object, String key, Map<String, Object> fields, int position) {
    }

    private Uni<Void> children(TenantId tenant, List<Work> works) {
        List<Work> live = works.stream().filter(w -> w.live() && w.opportunityId != null).toList();
        Map<Kind, List<Desired>> wanted = new LinkedHashMap<>();
        for (Work w : live) {
            for (ChildRecords set : w.command.children()) {
                Kind kind = new Kind(set.object(), set.link(), set.matchField());
                List<Desired> list = wanted.computeIfAbsent(kind, k -> new ArrayList<>());
                int position = 0;
                for (Map<String, Object> record : set.records()) {
                    Object match = record.get(set.matchField());
                    if (match == null || match.toString().isBlank()) {
                        w.notes.add(set.object() + " without " + set.matchField() + " skipped");
                        continue;
                    }
                    list.add(new Desired(w, set.object(), match.toString().toLowerCase(Locale.ROOT), record,
                            position++));
                }
                w.children.putIfAbsent(set.object(), new HashMap<>());
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<Kind, List<Desired>> e : wanted.entrySet()) {
            Kind kind = e.getKey();
            List<Work> owners = live.stream().filter(w -> w.command.children().stream()
                    .anyMatch(c -> c.object().equals(kind.object()))).toList();
            chain = chain.chain(() -> switch (kind.object()) {
                case "User" -> sellers(tenant, kind, owners, e.getValue());
                case "Contact" -> contacts(tenant, kind, owners, e.getValue());
                default -> directChildren(tenant, kind, owners, e.getValue());
            });
        }
        return chain;
    }

    /** Contacts under the customer's account, linked to the opportunity by contact roles. */
    private Uni<Void> contacts(TenantId tenant, Kind kind, List<Work> owners, List<Desired> desired) {
        List<Desired> unknown = desired.stream().filter(d -> child(d) == null && d.work.accountId != null).toList();
        Map<String, JsonNode> existing = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        for (List<Desired> chunk : chunks(unknown, IN_LIMIT)) {
            String soql = "SELECT " + String.join(", ", readFields(List.of("Id", "AccountId", kind.matchField()),
                    chunk)) + " FROM Contact WHERE AccountId IN (" + chunk.stream().map(d -> literal(
                            d.work.accountId)).distinct().collect(Collectors.joining(",")) + ") AND "
                    + kind.matchField() + " IN (" + chunk.stream().map(d -> literal(d.fields.get(kind.matchField())))
                            .distinct().collect(Collectors.joining(",")) + ")";
            lookup = lookup.chain(() -> salesforce.query(tenant, "Contact", soql).invoke(rows -> rows.forEach(r ->
                    existing.putIfAbsent(r.path("AccountId").asText() + "/" + r.path(kind.matchField()).asText()
                            .toLowerCase(Locale.ROOT), r)))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            List<Desired> toCreate = new ArrayList<>();
            List<Desired> toUpdate = new ArrayList<>();
            for (Desired d : desired) {
                SyncState.Child known = child(d);
                JsonNode found = known != null ? null : existing.get(d.work.accountId + "/" + d.key);
                String id = known != null ? known.id() : found == null ? null : found.path("Id").asText();
                String hash = hash(d.fields);
                if (id == null) {
                    toCreate.add(d);
                } else {
                    remember(d, id, known == null ? null : known.link(), hash);
                    if (known != null ? !hash.equals(known.hash()) : !holdsAll(found, d.fields)) {
                        toUpdate.add(d);
                    }
                }
            }
            return createChildren(tenant, "Contact", toCreate, d -> d.work.accountId + "/" + d.key, d -> {
                Map<String, Object> record = new LinkedHashMap<>(d.fields);
                if (d.work.accountId != null) {
                    record.put("AccountId", d.work.accountId);
                }
                return record;
            }).chain(() -> updateChildren(tenant, "Contact", toUpdate))
                    .chain(() -> links(tenant, kind, "OpportunityContactRole", "ContactId", owners, desired,
                            d -> d.position == 0 ? Map.of("IsPrimary", true) : Map.of()));
        });
    }

    /** Sellers: Users found by e-mail (never written), linked to the opportunity as team members. */
    private Uni<Void> sellers(TenantId tenant, Kind kind, List<Work> owners, List<Desired> desired) {
        List<Desired> unknown = desired.stream().filter(d -> child(d) == null).toList();
        Map<String, String> users = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        for (List<Desired> chunk : chunks(unknown, IN_LIMIT)) {
            String soql = "SELECT Id, " + kind.matchField() + " FROM User WHERE " + kind.matchField() + " IN ("
                    + chunk.stream().map(d -> literal(d.fields.get(kind.matchField()))).distinct()
                            .collect(Collectors.joining(",")) + ")";
            lookup = lookup.chain(() -> salesforce.query(tenant, "User", soql).invoke(rows -> rows.forEach(r ->
                    users.putIfAbsent(r.path(kind.matchField()).asText().toLowerCase(Locale.ROOT),
                            r.path("Id").asText())))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            List<Desired> found = new ArrayList<>();
            for (Desired d : desired) {
                SyncState.Child known = child(d);
                String id = known != null ? known.id() : users.get(d.key);
                if (id == null) {
                    d.work.notes.add("seller " + d.fields.get(kind.matchField()) + " is not a Salesforce user");
                    d.work.children.get(kind.object()).remove(d.key);
                } else {
                    remember(d, id, known == null ? null : known.link(), hash(d.fields));
                    found.add(d);
                }
            }
            return links(tenant, kind, "OpportunityTeamMember", "UserId", owners, found, d -> Map.of());
        });
    }

    /** Children of the opportunity itself ({@code Microsoft_Solution__c}, master-detail {@code Opportunity__c}). */
    private Uni<Void> directChildren(TenantId tenant, Kind kind, List<Work> owners, List<Desired> desired) {
        String parent = "Opportunity__c";
        List<Work> unknownOwners = owners.stream().filter(w -> desired.stream().anyMatch(d -> d.work == w
                && child(d) == null)).toList();
        Map<String, JsonNode> existing = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        for (List<Work> chunk : chunks(unknownOwners, IN_LIMIT)) {
            List<Desired> theirs = desired.stream().filter(d -> chunk.contains(d.work)).toList();
            String soql = "SELECT " + String.join(", ", readFields(List.of("Id", parent, kind.matchField()), theirs))
                    + " FROM " + kind.object() + " WHERE " + parent + " IN (" + chunk.stream().map(w -> literal(
                            w.opportunityId)).collect(Collectors.joining(",")) + ")";
            lookup = lookup.chain(() -> salesforce.query(tenant, kind.object(), soql).invoke(rows -> rows.forEach(r ->
                    existing.putIfAbsent(r.path(parent).asText() + "/" + r.path(kind.matchField()).asText()
                            .toLowerCase(Locale.ROOT), r)))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            List<Desired> toCreate = new ArrayList<>();
            List<Desired> toUpdate = new ArrayList<>();
            for (Desired d : desired) {
                SyncState.Child known = child(d);
                JsonNode found = known != null ? null : existing.get(d.work.opportunityId + "/" + d.key);
                String id = known != null ? known.id() : found == null ? null : found.path("Id").asText();
                String hash = hash(d.fields);
                if (id == null) {
                    toCreate.add(d);
                } else {
                    remember(d, id, null, hash);
                    if (known != null ? !hash.equals(known.hash()) : !holdsAll(found, d.fields)) {
                        toUpdate.add(d);
                    }
                }
            }
            List<String> removed = removedIds(kind, owners, desired, false);
            return createChildren(tenant, kind.object(), toCreate, d -> d.work.opportunityId + "/" + d.key, d -> {
                Map<String, Object> record = new LinkedHashMap<>(d.fields);
                record.put(parent, d.work.opportunityId);
                return record;
            }).chain(() -> updateChildren(tenant, kind.object(), toUpdate))
                    .chain(() -> deleteAll(tenant, kind.object(), removed));
        });
    }

    /**
     * The fields a lookup of existing children reads: its own, and every field the desired children write, so one
     * found already holding every value is not written again (the seller's own records, on adoption).
     */
    private static Set<String> readFields(List<String> lookup, List<Desired> desired) {
        Set<String> fields = new LinkedHashSet<>(lookup);
        desired.forEach(d -> fields.addAll(d.fields.keySet()));
        return fields;
    }

    /** Makes the junction records (contact roles, team members) match the desired children of each opportunity. */
    private Uni<Void> links(TenantId tenant, Kind kind, String linkObject, String childField, List<Work> owners,
            List<Desired> desired, Function<Desired, Map<String, Object>> extra) {
        List<Desired> unlinked = desired.stream().filter(d -> d.work.live() && current(d) != null
                && current(d).link() == null).toList();
        Map<String, String> existing = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        List<Work> unlinkedOwners = unlinked.stream().map(Desired::work).distinct().toList();
        for (List<Work> chunk : chunks(unlinkedOwners, IN_LIMIT)) {
            String soql = "SELECT Id, OpportunityId, " + childField + " FROM " + linkObject + " WHERE OpportunityId IN ("
                    + chunk.stream().map(w -> literal(w.opportunityId)).collect(Collectors.joining(",")) + ")";
            lookup = lookup.chain(() -> salesforce.query(tenant, linkObject, soql).invoke(rows -> rows.forEach(r ->
                    existing.putIfAbsent(r.path("OpportunityId").asText() + "/" + r.path(childField).asText(),
                            r.path("Id").asText())))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            List<Desired> toCreate = new ArrayList<>();
            for (Desired d : unlinked) {
                String link = existing.get(d.work.opportunityId + "/" + current(d).id());
                if (link == null) {
                    toCreate.add(d);
                } else {
                    remember(d, current(d).id(), link, current(d).hash());
                }
            }
            List<String> removed = removedIds(kind, owners, desired, true);
            Uni<Void> create = Uni.createFrom().voidItem();
            // one link per opportunity and child, even when a referral names the same contact twice
            for (List<List<Desired>> chunk : chunks(grouped(toCreate, d -> d.work.opportunityId + "/"
                    + current(d).id()), SalesforceClient.COLLECTION_LIMIT)) {
                List<Map<String, Object>> batch = chunk.stream().map(same -> {
                    Desired d = same.get(0);
                    Map<String, Object> record = new LinkedHashMap<>(extra.apply(d));
                    record.put("OpportunityId", d.work.opportunityId);
                    record.put(childField, current(d).id());
                    return record;
                }).toList();
                create = create.chain(() -> writeRetrying(() -> salesforce.create(tenant, linkObject, batch))
                        .invoke(results -> {
                            for (int i = 0; i < chunk.size(); i++) {
                                SaveResult r = results.get(i);
                                for (Desired d : chunk.get(i)) {
                                    if (r.success()) {
                                        remember(d, current(d).id(), r.id(), current(d).hash());
                                    } else {
                                        d.work.fail(r.errorCode(), linkObject + " could not be created: "
                                                + r.errorMessage());
                                    }
                                }
                            }
                        })).replaceWithVoid();
            }
            return create.chain(() -> deleteAll(tenant, linkObject, removed));
        });
    }

    /**
     * Creates one record per distinct {@code identity}: several referrals of one batch may want the same record (two
     * deals of one customer name the same contact) and must share it, never make two.
     */
    private Uni<Void> createChildren(TenantId tenant, String object, List<Desired> desired,
            Function<Desired, String> identity, Function<Desired, Map<String, Object>> record) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<List<Desired>> chunk : chunks(grouped(desired, identity), SalesforceClient.COLLECTION_LIMIT)) {
            List<Map<String, Object>> records = chunk.stream().map(same -> record.apply(last(same))).toList();
            chain = chain.chain(() -> writeRetrying(() -> salesforce.create(tenant, object, records))
                    .invoke(results -> {
                        for (int i = 0; i < chunk.size(); i++) {
                            SaveResult r = results.get(i);
                            for (Desired d : chunk.get(i)) {
                                if (r.success()) {
                                    remember(d, r.id(), null, hash(d.fields));
                                } else {
                                    d.work.fail(r.errorCode(), object + " could not be created: " + r.errorMessage());
                                }
                            }
                        }
                    })).replaceWithVoid();
        }
        return chain;
    }

    /** Updates each record once (the last of the batch that wants it), as a collection may not name an id twice. */
    private Uni<Void> updateChildren(TenantId tenant, String object, List<Desired> desired) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<List<Desired>> chunk : chunks(grouped(desired, d -> current(d).id()),
                SalesforceClient.COLLECTION_LIMIT)) {
            List<Map<String, Object>> records = chunk.stream().map(same -> {
                Map<String, Object> record = new LinkedHashMap<>(last(same).fields);
                record.put("Id", current(last(same)).id());
                return record;
            }).toList();
            chain = chain.chain(() -> writeRetrying(() -> salesforce.update(tenant, object, records))
                    .invoke(results -> {
                        for (int i = 0; i < chunk.size(); i++) {
                            SaveResult r = results.get(i);
                            if (!r.success()) {
                                chunk.get(i).forEach(d -> d.work.fail(r.errorCode(), object
                                        + " could not be updated: " + r.errorMessage()));
                            }
                        }
                    })).replaceWithVoid();
        }
        return chain;
    }

    /** Items grouped by a key, in first-seen order. */
    static <T> List<List<T>> grouped(List<T> items, Function<T, String> key) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        items.forEach(item -> groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item));
        return new ArrayList<>(groups.values());
    }

    private static <T> T last(List<T> items) {
        return items.get(items.size() - 1);
    }

    /** Ids (records or links) this writer made earlier for children that are no longer wanted; forgotten now. */
    private static List<String> removedIds(Kind kind, List<Work> owners, List<Desired> desired, boolean links) {
        List<String> removed = new ArrayList<>();
        for (Work w : owners) {
            if (w.previous == null) {
                continue;
            }
            Map<String, SyncState.Child> before = w.previous.children().getOrDefault(kind.object(), Map.of());
            for (Map.Entry<String, SyncState.Child> e : before.entrySet()) {
                boolean wanted = desired.stream().anyMatch(d -> d.work == w && d.key.equals(e.getKey()));
                if (!wanted) {
                    String id = links ? e.getValue().link() : e.getValue().id();
                    if (id != null) {
                        removed.add(id);
                    }
                    w.children.get(kind.object()).remove(e.getKey());
                }
            }
        }
        return removed;
    }

    private Uni<Void> deleteAll(TenantId tenant, String object, List<String> ids) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<String> chunk : chunks(ids, SalesforceClient.COLLECTION_LIMIT)) {
            // a record already gone (deleted by a seller) is what we wanted: its error is not a failure
            chain = chain.chain(() -> writeRetrying(() -> salesforce.delete(tenant, object, chunk))).replaceWithVoid();
        }
        return chain;
    }

    private static SyncState.Child child(Desired d) {
        return d.work.previous == null ? null
                : d.work.previous.children().getOrDefault(d.object, Map.of()).get(d.key);
    }

    private static SyncState.Child current(Desired d) {
        Map<String, SyncState.Child> known = d.work.children.get(d.object);
        return known == null ? null : known.get(d.key);
    }

    private static void remember(Desired d, String id, String link, String hash) {
        d.work.children.computeIfAbsent(d.object, o -> new HashMap<>()).put(d.key, new SyncState.Child(id, link,
                hash));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /**
     * A collections write whose records failed only with row locks is sent again (those records) with backoff; when
     * they keep failing the batch waits for Salesforce ({@link SalesforceUnavailable}).
     */
    private Uni<List<SaveResult>> writeRetrying(java.util.function.Supplier<Uni<List<SaveResult>>> call) {
        return call.get().map(results -> {
            if (results.stream().anyMatch(SaveResult::retryable)) {
                throw new SalesforceUnavailable("Salesforce rows locked: " + results.stream()
                        .filter(SaveResult::retryable).findFirst().orElseThrow().errorMessage(), null);
            }
            return results;
        }).onFailure(SalesforceUnavailable.class).retry().withBackOff(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(10)).withJitter(0.3).atMost(4);
    }

    public static String matchKey(Map<String, Object> match) {
        return match.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + Objects.toString(e.getValue(), "").trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("\u001f"));
    }

    /** A SOQL string literal. */
    static String literal(Object value) {
        String s = Objects.toString(value, "");
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            chunks.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return chunks;
    }

    static String fingerprint(UpsertOpportunityCommand command) {
        return hash(command);
    }

    private static String hash(Object value) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(value);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Map<String, SyncState.Child>> copy(Map<String, Map<String, SyncState.Child>> in) {
        Map<String, Map<String, SyncState.Child>> out = new HashMap<>();
        in.forEach((k, v) -> out.put(k, new HashMap<>(v)));
        return out;
    }
}
