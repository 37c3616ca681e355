package io.cosellsync.simulator.salesforce.cdc;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The simulator's own view of its Pub/Sub API: the CA clients trust for TLS, and each org's event counters. */
@Path("/_sim/pubsub")
public class PubSubControlResource {

    private final Optional<String> caFile;
    private final ChangeEventBus bus;
    private final Deliveries deliveries;

    public PubSubControlResource(@ConfigProperty(name = "salesforce-sim.tls.ca-file") Optional<String> caFile,
            ChangeEventBus bus, Deliveries deliveries) {
        this.caFile = caFile;
        this.bus = bus;
        this.deliveries = deliveries;
    }

    /** The CA that issued the TLS certificate (404 when the simulator serves plain HTTP only). */
    @GET
    @Path("ca.pem")
    @Produces("application/x-pem-file")
    public String ca() throws IOException {
        if (caFile.isEmpty() || !Files.exists(java.nio.file.Path.of(caFile.get()))) {
            throw new NotFoundException("this simulator serves no TLS of its own CA");
        }
        return Files.readString(java.nio.file.Path.of(caFile.get()));
    }

    /** The objects the org selects for change data capture (the standard ChangeEvents channel). */
    @GET
    @Path("orgs/{tenant}/change-data-capture")
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.List<String> selection(@PathParam("tenant") String tenant) {
        try {
            return java.util.List.copyOf(bus.schemas(tenant).keySet());
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no org " + tenant);
        }
    }

    /** Selects exactly these objects from now on; the org keeps its rows and events (Setup → Change Data Capture). */
    @PUT
    @Path("orgs/{tenant}/change-data-capture")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.List<String> select(@PathParam("tenant") String tenant, java.util.List<String> entities) {
        if (entities == null) {
            throw new BadRequestException("the body is a JSON array of object names");
        }
        selection(tenant);
        try {
            bus.select(tenant, entities);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return selection(tenant);
    }

    /** The newest position on the org's bus, events delivered in the last 24 hours, and open streams. */
    @GET
    @Path("orgs/{tenant}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> counters(@PathParam("tenant") String tenant) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            out.put("published", bus.tip(tenant));
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no org " + tenant);
        }
        out.put("deliveredLast24Hours", bus.delivered(tenant));
        out.put("openStreams", deliveries.openStreams(tenant));
        out.put("faults", new java.util.TreeMap<>(bus.injected(tenant)));
        return out;
    }

    /**
     * Injects a fault ({@link PubSubFault}); parameters in the body: GAP {@code entity}, {@code recordIds},
     * {@code changeType}; OVERFLOW {@code entity}; CORRUPT {@code entity}, {@code payloadBase64} (random bytes
     * when absent); DELAY_DELIVERY {@code milliseconds}.
     */
    @POST
    @Path("orgs/{tenant}/faults/{fault}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> inject(@PathParam("tenant") String tenant, @PathParam("fault") String name,
            Map<String, Object> parameters) {
        counters(tenant); // 404 for an unknown org
        PubSubFault fault;
        try {
            fault = PubSubFault.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no fault " + name + "; faults: " + java.util.Arrays.toString(
                    PubSubFault.values()));
        }
        Map<String, Object> given = parameters == null ? Map.of() : parameters;
        int streams = 0;
        try {
            switch (fault) {
                case DROP_STREAMS -> {
                    streams = deliveries.drop(s -> s.caller().tenant().equals(tenant), PubSubErrors.error(
                            io.grpc.Status.Code.UNAVAILABLE, "service.unavailable",
                            "The service is unavailable. Try again later."));
                    bus.counted(tenant, fault);
                }
                case REVOKE_TOKEN -> {
                    streams = deliveries.revokeSessions(tenant);
                    bus.counted(tenant, fault);
                }
                default -> bus.inject(tenant, fault, given);
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new BadRequestException(e.getMessage());
        }
        return Map.of("fault", fault.name(), "streams", streams, "count", bus.injected(tenant).get(fault));
    }

    /** The org's custom channels and their members. */
    @GET
    @Path("orgs/{tenant}/channels")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, java.util.List<ChangeEventBus.Member>> channels(@PathParam("tenant") String tenant) {
        counters(tenant);
        return bus.customChannels(tenant);
    }

    /**
     * Creates or replaces the custom channel {@code /data/<name>} ({@code name} ends in {@code __chn}):
     * {@code {"members": [{"entity": "Opportunity", "filter": "Sync_with_Partner_Center__c = true"}]}}. A filter
     * is a SOQL WHERE expression over the object's fields, checked now (400 with Salesforce's query error otherwise)
     * and tested on each record as committed.
     */
    @PUT
    @Path("orgs/{tenant}/channels/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> defineChannel(@PathParam("tenant") String tenant, @PathParam("name") String name,
            ChannelDefinition definition) {
        counters(tenant);
        if (definition == null || definition.members() == null) {
            throw new BadRequestException("members are required");
        }
        try {
            bus.defineChannel(tenant, "/data/" + name, definition.members());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        } catch (io.cosellsync.simulator.salesforce.api.RestError e) {
            throw new BadRequestException(e.getMessage());
        }
        return Map.of("channel", "/data/" + name, "members", definition.members());
    }

    /** The body of a channel definition. */
    public record ChannelDefinition(java.util.List<ChangeEventBus.Member> members) {
    }

    /** Ends the standing faults: delayed delivery, exhausted allocation, a merge not yet used. */
    @DELETE
    @Path("orgs/{tenant}/faults")
    public void clear(@PathParam("tenant") String tenant) {
        counters(tenant);
        bus.clearFaults(tenant);
    }
}
