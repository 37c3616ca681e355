package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SaveResult;
import io.cosellsync.salesforce.client.Soql;
import io.cosellsync.salesforcewriter.persistence.SyncState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Step 4 of a batch: each opportunity's child records — contacts (matched by e-mail within the account) with their
 * contact roles, solutions under the opportunity, and sellers (Users found by e-mail, never written) as team
 * members. Ids come from the sync state, else one query per object type; missing records are created once per
 * identity, changed ones updated, and links or solutions this writer made that the referral no longer has are
 * deleted.
 */
@ApplicationScoped
class ChildRecordWriter {

    private static final int IN_LIMIT = 100;

    private final SalesforceClient salesforce;

    ChildRecordWriter(SalesforceClient salesforce) {
        this.salesforce = salesforce;
    }

    private record Kind(String object, String link, String matchField) {
    }

    private record Desired(Work work, String object, String key, Map<String, Object> fields, int position) {
    }

    /** Makes every live opportunity's child records and links what its command says. */
    Uni<Void> write(TenantId tenant, List<Work> works) {
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
        List<Desired> unknown = desired.stream().filter(d -> previousChild(d) == null && d.work.accountId != null).toList();
        Map<String, JsonNode> existing = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        for (List<Desired> chunk : Soql.chunks(unknown, IN_LIMIT)) {
            String soql = "SELECT " + String.join(", ", readFields(List.of("Id", "AccountId", kind.matchField()),
                    chunk)) + " FROM Contact WHERE AccountId IN " + Soql.in(chunk.stream().map(d -> d.work.accountId)
                            .toList()) + " AND " + kind.matchField() + " IN " + Soql.in(chunk.stream()
                                    .map(d -> d.fields.get(kind.matchField())).toList());
            lookup = lookup.chain(() -> salesforce.query(tenant, "Contact", soql).invoke(rows -> rows.forEach(r ->
                    existing.putIfAbsent(r.path("AccountId").asText() + "/" + r.path(kind.matchField()).asText()
                            .toLowerCase(Locale.ROOT), r)))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            Sorted sorted = sort(desired, existing, d -> d.work.accountId, true);
            return createChildren(tenant, "Contact", sorted.toCreate(), d -> d.work.accountId + "/" + d.key, d -> {
                Map<String, Object> record = new LinkedHashMap<>(d.fields);
                if (d.work.accountId != null) {
                    record.put("AccountId", d.work.accountId);
                }
                return record;
            }).chain(() -> updateChildren(tenant, "Contact", sorted.toUpdate()))
                    .chain(() -> links(tenant, kind, "OpportunityContactRole", "ContactId", owners, desired,
                            d -> d.position == 0 ? Map.of("IsPrimary", true) : Map.of()));
        });
    }

    /** Sellers: Users found by e-mail (never written), linked to the opportunity as team members. */
    private Uni<Void> sellers(TenantId tenant, Kind kind, List<Work> owners, List<Desired> desired) {
        List<Desired> unknown = desired.stream().filter(d -> previousChild(d) == null).toList();
        Map<String, String> users = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        for (List<Desired> chunk : Soql.chunks(unknown, IN_LIMIT)) {
            String soql = "SELECT Id, " + kind.matchField() + " FROM User WHERE " + kind.matchField() + " IN "
                    + Soql.in(chunk.stream().map(d -> d.fields.get(kind.matchField())).toList());
            lookup = lookup.chain(() -> salesforce.query(tenant, "User", soql).invoke(rows -> rows.forEach(r ->
                    users.putIfAbsent(r.path(kind.matchField()).asText().toLowerCase(Locale.ROOT),
                            r.path("Id").asText())))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            List<Desired> found = new ArrayList<>();
            for (Desired d : desired) {
                SyncState.Child known = previousChild(d);
                String id = known != null ? known.id() : users.get(d.key);
                if (id == null) {
                    d.work.notes.add("seller " + d.fields.get(kind.matchField()) + " is not a Salesforce user");
                    d.work.children.get(kind.object()).remove(d.key);
                } else {
                    remember(d, id, known == null ? null : known.link(), RecordValues.hash(d.fields));
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
                && previousChild(d) == null)).toList();
        Map<String, JsonNode> existing = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        for (List<Work> chunk : Soql.chunks(unknownOwners, IN_LIMIT)) {
            List<Desired> theirs = desired.stream().filter(d -> chunk.contains(d.work)).toList();
            String soql = "SELECT " + String.join(", ", readFields(List.of("Id", parent, kind.matchField()), theirs))
                    + " FROM " + kind.object() + " WHERE " + parent + " IN " + Soql.in(chunk.stream()
                            .map(w -> w.opportunityId).toList());
            lookup = lookup.chain(() -> salesforce.query(tenant, kind.object(), soql).invoke(rows -> rows.forEach(r ->
                    existing.putIfAbsent(r.path(parent).asText() + "/" + r.path(kind.matchField()).asText()
                            .toLowerCase(Locale.ROOT), r)))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            Sorted sorted = sort(desired, existing, d -> d.work.opportunityId, false);
            List<String> removed = removedIds(kind, owners, desired, false);
            return createChildren(tenant, kind.object(), sorted.toCreate(), d -> d.work.opportunityId + "/" + d.key, d -> {
                Map<String, Object> record = new LinkedHashMap<>(d.fields);
                record.put(parent, d.work.opportunityId);
                return record;
            }).chain(() -> updateChildren(tenant, kind.object(), sorted.toUpdate()))
                    .chain(() -> deleteAll(tenant, kind.object(), removed));
        });
    }

    /** Children to create (none known or found) and to update (known or found, and not holding these values). */
    private record Sorted(List<Desired> toCreate, List<Desired> toUpdate) {
    }

    /**
     * Each desired child by what is known of it: from the sync state, else found by the lookup under its parent
     * ({@code existing}, keyed {@code parent/match}); its id is remembered for the batch, with the known link when
     * {@code keepLink}.
     */
    private static Sorted sort(List<Desired> desired, Map<String, JsonNode> existing,
            Function<Desired, String> parent, boolean keepLink) {
        List<Desired> toCreate = new ArrayList<>();
        List<Desired> toUpdate = new ArrayList<>();
        for (Desired d : desired) {
            SyncState.Child known = previousChild(d);
            JsonNode found = known != null ? null : existing.get(parent.apply(d) + "/" + d.key);
            String id = known != null ? known.id() : found == null ? null : found.path("Id").asText();
            String hash = RecordValues.hash(d.fields);
            if (id == null) {
                toCreate.add(d);
                continue;
            }
            remember(d, id, keepLink && known != null ? known.link() : null, hash);
            if (known != null ? !hash.equals(known.hash()) : !RecordValues.holdsAll(found, d.fields)) {
                toUpdate.add(d);
            }
        }
        return new Sorted(toCreate, toUpdate);
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
        List<Desired> unlinked = desired.stream().filter(d -> d.work.live() && batchChild(d) != null
                && batchChild(d).link() == null).toList();
        Map<String, String> existing = new HashMap<>();
        Uni<Void> lookup = Uni.createFrom().voidItem();
        List<Work> unlinkedOwners = unlinked.stream().map(Desired::work).distinct().toList();
        for (List<Work> chunk : Soql.chunks(unlinkedOwners, IN_LIMIT)) {
            String soql = "SELECT Id, OpportunityId, " + childField + " FROM " + linkObject + " WHERE OpportunityId IN "
                    + Soql.in(chunk.stream().map(w -> w.opportunityId).toList());
            lookup = lookup.chain(() -> salesforce.query(tenant, linkObject, soql).invoke(rows -> rows.forEach(r ->
                    existing.putIfAbsent(r.path("OpportunityId").asText() + "/" + r.path(childField).asText(),
                            r.path("Id").asText())))).replaceWithVoid();
        }
        return lookup.chain(() -> {
            List<Desired> toCreate = new ArrayList<>();
            for (Desired d : unlinked) {
                String link = existing.get(d.work.opportunityId + "/" + batchChild(d).id());
                if (link == null) {
                    toCreate.add(d);
                } else {
                    remember(d, batchChild(d).id(), link, batchChild(d).hash());
                }
            }
            List<String> removed = removedIds(kind, owners, desired, true);
            Uni<Void> create = Uni.createFrom().voidItem();
            // one link per opportunity and child, even when a referral names the same contact twice
            for (List<List<Desired>> chunk : Soql.chunks(grouped(toCreate, d -> d.work.opportunityId + "/"
                    + batchChild(d).id()), SalesforceClient.COLLECTION_LIMIT)) {
                List<Map<String, Object>> batch = chunk.stream().map(same -> {
                    Desired d = same.get(0);
                    Map<String, Object> record = new LinkedHashMap<>(extra.apply(d));
                    record.put("OpportunityId", d.work.opportunityId);
                    record.put(childField, batchChild(d).id());
                    return record;
                }).toList();
                create = create.chain(() -> RowLocks.retried(batch, r -> salesforce.create(tenant, linkObject, r))
                        .invoke(results -> {
                            for (int i = 0; i < chunk.size(); i++) {
                                SaveResult r = results.get(i);
                                for (Desired d : chunk.get(i)) {
                                    if (r.success()) {
                                        remember(d, batchChild(d).id(), r.id(), batchChild(d).hash());
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
        for (List<List<Desired>> chunk : Soql.chunks(grouped(desired, identity), SalesforceClient.COLLECTION_LIMIT)) {
            List<Map<String, Object>> records = chunk.stream().map(same -> record.apply(last(same))).toList();
            chain = chain.chain(() -> RowLocks.retried(records, r -> salesforce.create(tenant, object, r))
                    .invoke(results -> {
                        for (int i = 0; i < chunk.size(); i++) {
                            SaveResult r = results.get(i);
                            for (Desired d : chunk.get(i)) {
                                if (r.success()) {
                                    remember(d, r.id(), null, RecordValues.hash(d.fields));
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
        for (List<List<Desired>> chunk : Soql.chunks(grouped(desired, d -> batchChild(d).id()),
                SalesforceClient.COLLECTION_LIMIT)) {
            List<Map<String, Object>> records = chunk.stream().map(same -> {
                Map<String, Object> record = new LinkedHashMap<>(last(same).fields);
                record.put("Id", batchChild(last(same)).id());
                return record;
            }).toList();
            chain = chain.chain(() -> RowLocks.retried(records, r -> salesforce.update(tenant, object, r))
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
        for (List<String> chunk : Soql.chunks(ids, SalesforceClient.COLLECTION_LIMIT)) {
            // a record already gone (deleted by a seller) is what we wanted: its error is not a failure
            chain = chain.chain(() -> RowLocks.retried(chunk, r -> salesforce.delete(tenant, object, r)))
                    .replaceWithVoid();
        }
        return chain;
    }

    /** The child as the sync state had it before this batch (null: not written for this referral before). */
    private static SyncState.Child previousChild(Desired d) {
        return d.work.previous == null ? null
                : d.work.previous.children().getOrDefault(d.object, Map.of()).get(d.key);
    }

    /** The child as this batch has it so far: found, created or linked (null: not yet, or skipped). */
    private static SyncState.Child batchChild(Desired d) {
        Map<String, SyncState.Child> known = d.work.children.get(d.object);
        return known == null ? null : known.get(d.key);
    }

    private static void remember(Desired d, String id, String link, String hash) {
        d.work.children.computeIfAbsent(d.object, o -> new HashMap<>()).put(d.key, new SyncState.Child(id, link,
                hash));
    }
}
