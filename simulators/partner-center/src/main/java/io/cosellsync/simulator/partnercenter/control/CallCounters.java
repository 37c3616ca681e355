package io.cosellsync.simulator.partnercenter.control;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/** Counts Referrals API calls by operation and status code, for tests and benchmarks (GET /_sim/counters). */
@jakarta.inject.Singleton
public class CallCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response,
            SimpleResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/_sim") || path.startsWith("/q/")) {
            return;
        }
        String operation = resource == null || resource.getResourceClass() == null ? request.getMethod() + " " + path
                : request.getMethod() + " " + resource.getResourceClass().getSimpleName() + "." + resource.getMethodName();
        counts.computeIfAbsent(operation + " " + response.getStatus(), k -> new LongAdder()).increment();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void reset() {
        counts.clear();
    }
}
