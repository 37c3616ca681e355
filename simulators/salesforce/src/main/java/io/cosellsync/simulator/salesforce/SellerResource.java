package io.cosellsync.simulator.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.salesforce.data.Dml;
import io.cosellsync.simulator.salesforce.org.OrgState;
import io.cosellsync.simulator.salesforce.org.OrgStates;
import io.cosellsync.simulator.salesforce.rest.ApiCall;
import io.cosellsync.simulator.salesforce.rest.ApiResponse;
import io.cosellsync.simulator.salesforce.rest.RestApi;
import io.cosellsync.simulator.salesforce.rest.SavesAfterQuery;
import io.cosellsync.simulator.salesforce.rest.Tree;
import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acting as an org's seller, as the Salesforce UI would: create and edit opportunities, contacts, contact roles,
 * solutions, notes and team members, delete and restore them, merge accounts, seed a tree of records. Writes
 * carry the seller as user and no change origin (a UI edit), pass every data rule and use no API allocation.
 */
@Path("/_sim/orgs/{tenant}/seller")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SellerResource {

    private final OrgStates orgs;
    private final RestApi api;
    private final Tree tree;
    private final SimulatorClock clock;
    private final SavesAfterQuery savesAfterQuery;

    public SellerResource(OrgStates orgs, RestApi api, Tree tree, SimulatorClock clock,
            SavesAfterQuery savesAfterQuery) {
        this.orgs = orgs;
        this.savesAfterQuery = savesAfterQuery;
        this.api = api;
        this.tree = tree;
        this.clock = clock;
    }

    /** The seller's call: the seller as user, no change origin (a UI edit), no API usage. */
    private ApiCall seller(String tenant) {
        OrgState org = orgs.of(tenant).orElseThrow(() -> new NotFoundException("no org for tenant " + tenant));
        return new ApiCall(org, org.org().seller().id(), "v66.0", "", clock);
    }

    private static ObjectNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("a JSON object is required");
        }
        return (ObjectNode) body;
    }

    @POST
    @Path("records/{object}")
    public Response create(@PathParam("tenant") String tenant, @PathParam("object") String object,
            JsonNode body) {
        return api.create(seller(tenant), object, object(body)).toResponse();
    }

    @GET
    @Path("records/{object}/{id}")
    public Response get(@PathParam("tenant") String tenant, @PathParam("object") String object,
            @PathParam("id") String id) {
        return api.get(seller(tenant), object, id, null).toResponse();
    }

    @PATCH
    @Path("records/{object}/{id}")
    public Response update(@PathParam("tenant") String tenant, @PathParam("object") String object,
            @PathParam("id") String id, JsonNode body) {
        return api.update(seller(tenant), object, id, object(body)).toResponse();
    }

    /**
     * Arms a save of this record by the seller, made right after the next API query that reads it (before that
     * query's answer leaves): a read-then-write by the integration meets a save it did not see. 202; made once.
     */
    @POST
    @Path("after-next-query/{object}/{id}")
    public Response saveAfterNextQuery(@PathParam("tenant") String tenant, @PathParam("object") String object,
            @PathParam("id") String id, JsonNode body) {
        seller(tenant);
        savesAfterQuery.arm(tenant, object, id, object(body));
        return Response.accepted(Map.of("pending", savesAfterQuery.pending(tenant))).build();
    }

    @DELETE
    @Path("records/{object}/{id}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("object") String object,
            @PathParam("id") String id) {
        return api.delete(seller(tenant), object, id).toResponse();
    }

    @POST
    @Path("undelete/{id}")
    public Response undelete(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        ApiCall call = seller(tenant);
        call.write(txn -> {
            call.org().dml().undelete(txn, id);
            return null;
        });
        return ApiResponse.noContent().toResponse();
    }

    /** {@code {"masterId": "001…", "mergeIds": ["001…"]}}. */
    @POST
    @Path("merge")
    public Map<String, Object> merge(@PathParam("tenant") String tenant, JsonNode body) {
        ApiCall call = seller(tenant);
        List<String> losers = new ArrayList<>();
        object(body).path("mergeIds").forEach(n -> losers.add(n.asText()));
        Dml.Merged merged = call.write(txn -> call.org().dml().merge(txn, body.path("masterId").asText(), losers));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", merged.masterId());
        out.put("mergedRecordIds", merged.mergedIds());
        out.put("updatedRelatedIds", merged.updatedRelatedIds());
        return out;
    }

    /** Seeds records in sObject Tree format ({@code {"records": [...]}} with nested children). */
    @POST
    @Path("seed/{object}")
    public Response seed(@PathParam("tenant") String tenant, @PathParam("object") String object, JsonNode body) {
        return tree.create(seller(tenant), object, object(body)).toResponse();
    }
}
