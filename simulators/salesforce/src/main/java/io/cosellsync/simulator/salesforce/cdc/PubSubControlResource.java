package io.cosellsync.simulator.salesforce.cdc;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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
        return out;
    }
}
