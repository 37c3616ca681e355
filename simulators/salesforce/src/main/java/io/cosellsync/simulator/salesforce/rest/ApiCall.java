package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.auth.Sessions.Session;
import io.cosellsync.simulator.salesforce.data.OrgData.Savepoint;
import io.cosellsync.simulator.salesforce.data.OrgData.Txn;
import io.cosellsync.simulator.salesforce.org.OrgState;
import io.cosellsync.simulator.support.SimulatorClock;
import java.util.function.Function;

/**
 * One authenticated API call: the org, the caller, the API version and the {@code changeOrigin} its writes carry
 * ({@code com/salesforce/api/rest/62.0;client=…} from {@code Sforce-Call-Options}). A composite all-or-none request
 * opens one transaction that its subrequests join.
 */
public final class ApiCall {

    private final OrgState org;
    private final String userId;
    private final String version;
    private final String changeOrigin;
    private final SimulatorClock clock;
    private Txn enclosing;

    public ApiCall(OrgState org, String userId, String version, String changeOrigin, SimulatorClock clock) {
        this.org = org;
        this.userId = userId;
        this.version = version;
        this.changeOrigin = changeOrigin;
        this.clock = clock;
    }

    public static ApiCall of(OrgState org, Session session, String version, String callOptions,
            SimulatorClock clock) {
        return new ApiCall(org, session.user().id(), version, origin("rest", version, callOptions), clock);
    }

    /** {@code com/salesforce/api/<api>/<NN.N>} plus {@code ;client=<id>} when the caller named itself. */
    public static String origin(String api, String version, String callOptions) {
        String origin = "com/salesforce/api/" + api + "/" + version.substring(1);
        if (callOptions != null) {
            for (String option : callOptions.split(",")) {
                String trimmed = option.trim();
                if (trimmed.startsWith("client=") && trimmed.length() > 7) {
                    return origin + ";client=" + trimmed.substring(7);
                }
            }
        }
        return origin;
    }

    public OrgState org() {
        return org;
    }

    public String userId() {
        return userId;
    }

    /** The version path segment, e.g. {@code v62.0}. */
    public String version() {
        return version;
    }

    public String changeOrigin() {
        return changeOrigin;
    }

    /** Runs a write in the enclosing transaction (undone alone if it fails) or in a transaction of its own. */
    public <T> T write(Function<Txn, T> work) {
        if (enclosing != null) {
            Savepoint savepoint = enclosing.savepoint();
            try {
                return work.apply(enclosing);
            } catch (RuntimeException e) {
                enclosing.rollbackTo(savepoint);
                throw e;
            }
        }
        return org.data().inTransaction(clock.now(), userId, changeOrigin, work);
    }

    /** Runs {@code work} with every write inside one transaction, committed only if {@code work} returns. */
    public <T> T inOneTransaction(Function<ApiCall, T> work) {
        return org.data().inTransaction(clock.now(), userId, changeOrigin, txn -> {
            enclosing = txn;
            try {
                return work.apply(this);
            } finally {
                enclosing = null;
            }
        });
    }

    public boolean inTransaction() {
        return enclosing != null;
    }
}
