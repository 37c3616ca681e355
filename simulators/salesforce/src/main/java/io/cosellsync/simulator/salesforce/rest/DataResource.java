package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.control.ApiUsage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The REST API's entry points: the versions list (no session needed, not counted) and the org's limits. */
@Path("/services/data")
@Produces(MediaType.APPLICATION_JSON)
public class DataResource {

    private final CurrentCall current;
    private final ApiUsage usage;

    public DataResource(CurrentCall current, ApiUsage usage) {
        this.current = current;
        this.usage = usage;
    }

    @GET
    public List<Map<String, String>> versions() {
        return IntStream.rangeClosed(ApiGate.OLDEST, ApiGate.NEWEST).mapToObj(v -> Map.of(
                "label", "API " + v + ".0", "url", "/services/data/v" + v + ".0", "version", v + ".0")).toList();
    }

    /** {@code DailyApiRequests} as the org's allocation and what is left of it in the last 24 hours. */
    @GET
    @Path("{version}/limits")
    public Map<String, Object> limits() {
        ApiCall call = current.get();
        long max = call.org().settings().dailyApiRequests();
        long remaining = Math.max(0, max - usage.used(call.org().tenant()));
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("ConcurrentAsyncGetReportInstances", Map.of("Max", 200, "Remaining", 200));
        limits.put("DailyApiRequests", Map.of("Max", max, "Remaining", remaining));
        limits.put("DailyAsyncApexExecutions", Map.of("Max", 250000, "Remaining", 250000));
        limits.put("DailyBulkApiBatches", Map.of("Max", 15000, "Remaining", 15000));
        limits.put("DataStorageMB", Map.of("Max", 5, "Remaining", 5));
        return limits;
    }
}
