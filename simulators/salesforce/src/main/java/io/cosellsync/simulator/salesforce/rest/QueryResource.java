package io.cosellsync.simulator.salesforce.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /query?q=}, {@code /queryAll?q=} and their {@code nextRecordsUrl}s. */
@Path("/services/data/{version}")
@Produces(MediaType.APPLICATION_JSON)
public class QueryResource {

    static final String QUERY_OPTIONS = "Sforce-Query-Options";

    private final CurrentCall current;
    private final Queries queries;
    private final SavesAfterQuery savesAfterQuery;

    public QueryResource(CurrentCall current, Queries queries, SavesAfterQuery savesAfterQuery) {
        this.current = current;
        this.queries = queries;
        this.savesAfterQuery = savesAfterQuery;
    }

    private Response answered(ApiCall call, ApiResponse response) {
        savesAfterQuery.after(call, response);
        return response.toResponse();
    }

    @GET
    @Path("query")
    public Response query(@QueryParam("q") String q, @HeaderParam(QUERY_OPTIONS) String options) {
        ApiCall call = current.get();
        return answered(call, queries.query(call, q, false, options));
    }

    @GET
    @Path("queryAll")
    public Response queryAll(@QueryParam("q") String q, @HeaderParam(QUERY_OPTIONS) String options) {
        ApiCall call = current.get();
        return answered(call, queries.query(call, q, true, options));
    }

    @GET
    @Path("query/{locator}")
    public Response more(@PathParam("locator") String locator, @HeaderParam(QUERY_OPTIONS) String options) {
        return queries.more(current.get(), locator, options).toResponse();
    }

    @GET
    @Path("queryAll/{locator}")
    public Response moreAll(@PathParam("locator") String locator, @HeaderParam(QUERY_OPTIONS) String options) {
        return queries.more(current.get(), locator, options).toResponse();
    }
}
