package io.cosellsync.systemtests;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chaos suite's own record of every change it made, with when and on which side: what each synced record's
 * {@code latest} fields must end on (the last save, whichever side made it), and which records must exist once.
 * Saves of one record are made one at a time (the workload locks the record), so the order of entries is the order
 * of the saves.
 */
final class ChaosLedger {

    enum Side { SALESFORCE, PARTNER_CENTER }

    /** One save of a record's notes and deal value. */
    record Save(Side side, Instant at, String notes, BigDecimal value) {
    }

    /** A record pair the workload made or was given: its tenant, opportunity (if known) and referral (if known). */
    static final class Pair {
        final String tenant;
        final boolean shared;
        volatile String opportunityId;
        volatile String referralId;
        /** Closed (won, lost, declined): no more edits, and Partner Center refuses changes of closed referrals. */
        volatile boolean closed;
        /** A shared referral the seller accepted: only then is it edited (a pending one is the seller's to decide). */
        volatile boolean accepted;
        private final List<Save> saves = new ArrayList<>();

        Pair(String tenant, boolean shared, String opportunityId, String referralId) {
            this.tenant = tenant;
            this.shared = shared;
            this.opportunityId = opportunityId;
            this.referralId = referralId;
        }

        synchronized void saved(Save save) {
            saves.add(save);
        }

        synchronized Optional<Save> last() {
            return saves.isEmpty() ? Optional.empty() : Optional.of(saves.get(saves.size() - 1));
        }

        /** The last save made on one side. */
        synchronized Optional<Save> lastOn(Side side) {
            for (int i = saves.size() - 1; i >= 0; i--) {
                if (saves.get(i).side() == side) {
                    return Optional.of(saves.get(i));
                }
            }
            return Optional.empty();
        }

        /**
         * The save before the last when it was made on the other side within the same second: a polled org cannot
         * order those two (ADR 0004: a tie, to Partner Center), so either may stand.
         */
        synchronized Optional<Save> tiedWithLast() {
            if (saves.size() < 2) {
                return Optional.empty();
            }
            Save last = saves.get(saves.size() - 1);
            Save before = saves.get(saves.size() - 2);
            return before.side() != last.side() && before.at().plusSeconds(1).isAfter(last.at())
                    ? Optional.of(before) : Optional.empty();
        }
    }

    private final List<Pair> pairs = new ArrayList<>();
    private final Map<String, Long> changes = new ConcurrentHashMap<>();

    synchronized Pair add(Pair pair) {
        pairs.add(pair);
        return pair;
    }

    synchronized List<Pair> pairs() {
        return List.copyOf(pairs);
    }

    void counted(String kind) {
        changes.merge(kind, 1L, Long::sum);
    }

    Map<String, Long> changes() {
        return Map.copyOf(changes);
    }

    long total() {
        return changes.values().stream().mapToLong(Long::longValue).sum();
    }
}
