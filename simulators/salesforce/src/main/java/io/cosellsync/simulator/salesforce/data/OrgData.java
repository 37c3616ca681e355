package io.cosellsync.simulator.salesforce.data;

import io.cosellsync.simulator.salesforce.schema.SObjectType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rows of one org and the log of committed changes. Every write happens inside a {@link Txn} while holding
 * the org's monitor; a transaction records how to undo each write, so all-or-none requests and composite
 * requests roll back exactly, and only committed changes reach the change log.
 */
public final class OrgData {

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Map<String, AtomicLong> sequences = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private long changeSequence;
    private final Instant since;
    private volatile Consumer<List<Change>> committed = changes -> { };

    /** An org's rows as of {@code since}: the simulator knows nothing of what happened before (replication). */
    public OrgData(Instant since) {
        this.since = since;
    }

    public Instant since() {
        return since;
    }

    public synchronized Optional<Row> row(String canonicalId) {
        return Optional.ofNullable(rows.get(canonicalId));
    }

    /** Live and recycled rows of a type, in creation order (a copy, safe to iterate). */
    public synchronized List<Row> rows(SObjectType type) {
        return rows.values().stream().filter(r -> r.type() == type).toList();
    }

    public synchronized List<Row> allRows() {
        return List.copyOf(rows.values());
    }

    /** Runs a read of several rows under the org's lock, so that no write lands half-way through it. */
    public synchronized <T> T read(Supplier<T> work) {
        return work.get();
    }

    /**
     * Told of each committed transaction's changes, in commit order, while the org's lock is held (so listeners see
     * transactions in the order they committed and must be quick).
     */
    public void onCommit(Consumer<List<Change>> listener) {
        this.committed = listener;
    }

    public synchronized List<Change> changes(long afterSequence) {
        return changes.stream().filter(c -> c.sequence() > afterSequence).toList();
    }

    String nextId(String keyPrefix) {
        return SalesforceIds.of(keyPrefix, sequences.computeIfAbsent(keyPrefix, p -> new AtomicLong(100_000))
                .incrementAndGet());
    }

    /** Runs {@code work} in one transaction under the org's lock: committed if it returns, rolled back if it throws. */
    public synchronized <T> T inTransaction(Instant now, String commitUser, String changeOrigin,
            Function<Txn, T> work) {
        Txn txn = new Txn(now, commitUser, changeOrigin);
        try {
            T result = work.apply(txn);
            txn.commit();
            return result;
        } catch (RuntimeException e) {
            txn.rollbackTo(new Savepoint(0, 0));
            throw e;
        }
    }

    /** A transaction on this org's rows. Not thread-safe: it lives inside {@link #inTransaction}. */
    /** How far a transaction had got: its undo log and pending changes up to here. */
    public record Savepoint(int undo, int pending) {
    }

    public final class Txn {

        private final Instant now;
        private final String commitUser;
        private final String changeOrigin;
        private final List<Runnable> undo = new ArrayList<>();
        private final List<PendingChange> pending = new ArrayList<>();

        private record PendingChange(String entity, String type, String recordId, List<String> fields,
                Map<String, Object> values, Map<String, Object> previous) {
            PendingChange(String entity, String type, String recordId, List<String> fields, Map<String, Object> values) {
                this(entity, type, recordId, fields, values, Map.of());
            }
        }

        Txn(Instant now, String commitUser, String changeOrigin) {
            this.now = now;
            this.commitUser = commitUser;
            this.changeOrigin = changeOrigin;
        }

        public Instant now() {
            return now;
        }

        public String user() {
            return commitUser;
        }

        public OrgData data() {
            return OrgData.this;
        }

        /** A point to roll back to, for one record of an all-or-none=false batch. */
        public Savepoint savepoint() {
            return new Savepoint(undo.size(), pending.size());
        }

        public void rollbackTo(Savepoint savepoint) {
            while (undo.size() > savepoint.undo()) {
                undo.remove(undo.size() - 1).run();
            }
            while (pending.size() > savepoint.pending()) {
                pending.remove(pending.size() - 1);
            }
        }

        Row insert(SObjectType type, Map<String, Object> values) {
            String id = nextId(type.keyPrefix());
            Row row = new Row(type, id, values);
            row.put("Id", id);
            rows.put(id, row);
            undo.add(() -> rows.remove(id));
            pending.add(new PendingChange(type.name(), "CREATE", id, List.copyOf(values.keySet()),
                    new LinkedHashMap<>(values)));
            return row;
        }

        /** Applies changed values to a row; records the change only when something differs. */
        void update(Row row, Map<String, Object> changed) {
            Row before = row.copy();
            undo.add(() -> row.restoreFrom(before));
            changed.forEach(row::put);
            // what change data capture reports: fields whose value moved (LastModifiedDate always does)
            Map<String, Object> moved = new LinkedHashMap<>();
            Map<String, Object> previous = new LinkedHashMap<>();
            changed.forEach((field, value) -> {
                if (field.equals("LastModifiedDate") || !same(before.get(field), value)) {
                    moved.put(field, value);
                    previous.put(field, before.get(field));
                }
            });
            pending.add(new PendingChange(row.type().name(), "UPDATE", row.id(), List.copyOf(moved.keySet()),
                    moved, previous));
        }

        void recycle(Row row, String cascadeRoot) {
            Row before = row.copy();
            undo.add(() -> row.restoreFrom(before));
            row.markDeleted(now, cascadeRoot);
            pending.add(new PendingChange(row.type().name(), "DELETE", row.id(), List.of(), Map.of()));
        }

        void purge(Row row) {
            rows.remove(row.id());
            undo.add(() -> rows.put(row.id(), row));
            pending.add(new PendingChange(row.type().name(), "DELETE", row.id(), List.of(), Map.of()));
        }

        void restore(Row row) {
            Row before = row.copy();
            undo.add(() -> row.restoreFrom(before));
            row.markUndeleted();
            // an undelete reports the whole record as it is again
            pending.add(new PendingChange(row.type().name(), "UNDELETE", row.id(), List.of(),
                    new LinkedHashMap<>(row.values())));
        }

        void commit() {
            if (pending.isEmpty()) {
                return;
            }
            String key = UUID.randomUUID().toString();
            int n = 0;
            List<Change> transaction = new ArrayList<>();
            for (PendingChange p : pending) {
                transaction.add(new Change(++changeSequence, key, ++n, now, commitUser, changeOrigin, p.entity(),
                        p.type(), p.recordId(), p.fields(), p.values(), p.previous()));
            }
            changes.addAll(transaction);
            committed.accept(transaction);
            pending.clear();
            undo.clear();
        }
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return java.util.Objects.equals(a, b);
    }

    /** Seeds a row outside any transaction (the org's users); no change is logged. */
    public synchronized Row seed(SObjectType type, String id, Map<String, Object> values) {
        Row row = new Row(type, id, values);
        row.put("Id", id);
        rows.put(id, row);
        return row;
    }

}
