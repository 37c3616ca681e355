package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SaveResult;
import io.cosellsync.salesforce.client.Soql;
import io.cosellsync.salesforcewriter.persistence.SyncStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Step 2 of a batch: finds or creates the customer account of each new referral by the tenant's matching rule —
 * the account links first, then one SOQL query per 100 customers, and only the rest are created (one sObject
 * Collections call per 200). A new customer's account is first claimed in the account links, so two writer replicas
 * never both create it; a claim held elsewhere makes the batch wait ({@link AccountBeingCreated}).
 */
@ApplicationScoped
public class AccountResolver {

    private static final int IN_LIMIT = 100;
    /** A claim on a new customer's account older than this is taken over: its writer died before creating it. */
    static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);

    private final SalesforceClient salesforce;
    private final SyncStates states;

    AccountResolver(SalesforceClient salesforce, SyncStates states) {
        this.salesforce = salesforce;
        this.states = states;
    }

    /** Sets {@link Work#accountId} of every live command that has a customer and no account yet. */
    Uni<Void> resolve(TenantId tenant, List<Work> works) {
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
        for (List<Map<String, Object>> chunk : Soql.chunks(matches, IN_LIMIT)) {
            StringBuilder where = new StringBuilder();
            for (String field : fields) {
                where.append(where.length() == 0 ? "" : " AND ").append(field).append(" IN ")
                        .append(Soql.in(chunk.stream().map(m -> m.get(field)).toList()));
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
        for (List<String> chunk : Soql.chunks(keys, SalesforceClient.COLLECTION_LIMIT)) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (String key : chunk) {
                var account = byKey.get(key).get(0).command.account();
                Map<String, Object> record = new LinkedHashMap<>(account.createOnlyFields());
                record.putAll(account.fields());
                record.putAll(account.match());
                records.add(record);
            }
            chain = chain.chain(() -> RowLocks.retried(records, r -> salesforce.create(tenant, "Account", r))
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


    /** The customer's identity under the tenant's matching rule: the match fields, trimmed and lower case. */
    public static String matchKey(Map<String, Object> match) {
        return match.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + Objects.toString(e.getValue(), "").trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("\u001f"));
    }
}
