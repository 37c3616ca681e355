package io.cosellsync.simulator.partnercenter.faults;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Referral creates that the {@link Fault#LATENCY} fault is holding right now: received in full, not yet acted on.
 * Partner Center acts on such a create whether or not its caller is still there, so a test that stops a client
 * while one is held knows the referral will exist although the client never heard of it.
 */
@Singleton
public class HeldCreates {

    private final Map<String, Queue<JsonNode>> held = new ConcurrentHashMap<>();

    /** Holds the create for the duration of {@code latency}, which runs on the calling worker thread. */
    public void during(String tenant, JsonNode body, Runnable latency) {
        Queue<JsonNode> ofTenant = held.computeIfAbsent(tenant, t -> new ConcurrentLinkedQueue<>());
        ofTenant.add(body);
        try {
            latency.run();
        } finally {
            ofTenant.remove(body);
        }
    }

    /** The bodies of the tenant's creates held now. */
    public List<JsonNode> of(String tenant) {
        return List.copyOf(held.getOrDefault(tenant, new ConcurrentLinkedQueue<>()));
    }

    public void reset() {
        held.clear();
    }
}
