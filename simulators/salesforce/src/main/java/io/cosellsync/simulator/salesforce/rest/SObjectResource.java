package io.cosellsync.simulator.salesforce.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /services/data/vNN.N/sobjects}: describe, rows by id, rows by external id and the replication resources
 * (salesforce-api.md §2.2–§2.5).
 */
@Path("/services/data/{version}/sobjects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class SObjectResource {

    private final CurrentCall current;
    private final RestApi api;
    private final Replication replication;

    public SObjectResource(CurrentCall current, RestApi api, Replication replication) {
        this.current = current;
        this.api = api;
        this.replication = replication;
    }

    @GET
    public Map<String, Object> describeGlobal() {
        ApiCall call = current.get();
        return Describe.global(call.org().schema(), call.version());
    }

    @GET
    @Path("{object}")
    public Map<String, Object> basicInfo(@PathParam("object") String object) {
        ApiCall call = current.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("objectDescribe", Describe.basic(api.type(call, object), call.version()));
        out.put("recentItems", List.of());
        return out;
    }

    @GET
    @Path("{object}/describe")
    public Map<String, Object> describe(@PathParam("object") String object) {
        ApiCall call = current.get();
        return Describe.full(call.org().schema(), api.type(call, object), call.version());
    }

    @GET
    @Path("{object}/updated")
    public Map<String, Object> updated(@PathParam("object") String object, @QueryParam("start") String start,
            @QueryParam("end") String end) {
        return replication.updated(current.get(), object, start, end);
    }

    @GET
    @Path("{object}/deleted")
    public Map<String, Object> deleted(@PathParam("object") String object, @QueryParam("start") String start,
            @QueryParam("end") String end) {
        return replication.deleted(current.get(), object, start, end);
    }

    @POST
    @Path("{object}")
    public Response create(@PathParam("object") String object, String body) {
        return api.create(current.get(), object, Records.object(body)).toResponse();
    }

    @GET
    @Path("{object}/{id}")
    public Response get(@PathParam("object") String object, @PathParam("id") String id,
            @QueryParam("fields") String fields) {
        return api.get(current.get(), object, id, fields).toResponse();
    }

    @PATCH
    @Path("{object}/{id}")
    public Response update(@PathParam("object") String object, @PathParam("id") String id,
            @HeaderParam("If-Unmodified-Since") String ifUnmodifiedSince, String body) {
        return api.update(current.get(), object, id, Records.object(body), ifUnmodifiedSince).toResponse();
    }

    @DELETE
    @Path("{object}/{id}")
    public Response delete(@PathParam("object") String object, @PathParam("id") String id) {
        return api.delete(current.get(), object, id).toResponse();
    }

    @GET
    @Path("{object}/{field}/{value}")
    public Response getByExternalId(@PathParam("object") String object, @PathParam("field") String field,
            @PathParam("value") String value, @QueryParam("fields") String fields) {
        return api.getByExternalId(current.get(), object, field, value, fields).toResponse();
    }

    @PATCH
    @Path("{object}/{field}/{value}")
    public Response upsert(@PathParam("object") String object, @PathParam("field") String field,
            @PathParam("value") String value, @QueryParam("updateOnly") boolean updateOnly, String body) {
        return api.upsert(current.get(), object, field, value, Records.object(body), updateOnly).toResponse();
    }

    @DELETE
    @Path("{object}/{field}/{value}")
    public Response deleteByExternalId(@PathParam("object") String object, @PathParam("field") String field,
            @PathParam("value") String value) {
        return api.deleteByExternalId(current.get(), object, field, value).toResponse();
    }
}
