package io.cosellsync.simulator.salesforce.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A seller's save timed to fall between an integration's read and its write: armed for one record, it is made (as
 * the org's seller, a UI edit) right after the next API query whose answer holds that record, before that answer
 * leaves — so the caller reads the record as it was and writes after the seller saved. Once per arming. Made for the
 * race a writer must survive (a read, then a write over a save it never saw); real Salesforce has no such switch.
 */
@ApplicationScoped
public class SavesAfterQuery {

    private record Armed(String object, String id, ObjectNode fields) {
    }

    private final RestApi api;
    private final SimulatorClock clock;
    private final Map<String, List<Armed>> armed = new ConcurrentHashMap<>();

    public SavesAfterQuery(RestApi api, SimulatorClock clock) {
        this.api = api;
        this.clock = clock;
    }

    public void arm(String tenant, String object, String id, ObjectNode fields) {
        List<Armed> list = armed.computeIfAbsent(tenant, t -> new ArrayList<>());
        synchronized (list) {
            list.add(new Armed(object, id, fields.deepCopy()));
        }
    }

    /** Forgets the tenant's armed saves (an org reset: record ids start over). */
    public void reset(String tenant) {
        armed.remove(tenant);
    }

    /** How many armed saves of the tenant have not been made yet. */
    public int pending(String tenant) {
        List<Armed> list = armed.getOrDefault(tenant, List.of());
        synchronized (list) {
            return list.size();
        }
    }

    /** After an API query (not the seller's own): makes the armed saves whose record the answer holds. */
    void after(ApiCall call, ApiResponse response) {
        String tenant = call.org().tenant();
        List<Armed> list = armed.get(tenant);
        String seller = call.org().org().seller().id();
        if (list == null || seller.equals(call.userId()) || !(response.body() instanceof Map<?, ?> page)
                || !(page.get("records") instanceof List<?> records)) {
            return;
        }
        List<Armed> due = new ArrayList<>();
        synchronized (list) {
            for (Object record : records) {
                if (record instanceof Map<?, ?> row && row.get("Id") instanceof String id) {
                    list.stream().filter(a -> a.id().equals(id)).findFirst().ifPresent(a -> {
                        list.remove(a);
                        due.add(a);
                    });
                }
            }
        }
        ApiCall asSeller = new ApiCall(call.org(), seller, call.version(), "", clock);
        due.forEach(a -> api.update(asSeller, a.object(), a.id(), a.fields()));
    }
}
