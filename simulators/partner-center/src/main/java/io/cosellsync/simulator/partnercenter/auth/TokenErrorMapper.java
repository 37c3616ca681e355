package io.cosellsync.simulator.partnercenter.auth;

import io.cosellsync.simulator.support.SimulatorClock;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Identity errors in Entra's shape: {@code error}, {@code error_description}, {@code error_codes}, ids. */
public class TokenErrorMapper {

    private final SimulatorClock clock;

    public TokenErrorMapper(SimulatorClock clock) {
        this.clock = clock;
    }

    @ServerExceptionMapper
    public Response map(TokenError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        body.put("error_codes", List.of(e.aadsts()));
        body.put("timestamp", clock.now().toString());
        body.put("trace_id", UUID.randomUUID().toString());
        body.put("correlation_id", UUID.randomUUID().toString());
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
