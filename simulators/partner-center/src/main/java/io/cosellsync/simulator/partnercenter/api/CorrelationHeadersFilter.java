package io.cosellsync.simulator.partnercenter.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every response carries a {@code request-id}; {@code client-request-id}, {@code MS-CorrelationId} and
 * {@code MS-RequestId} are echoed when the caller sent them (and generated otherwise).
 */
public class CorrelationHeadersFilter {

    @ServerResponseFilter
    public void addHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle("request-id", UUID.randomUUID().toString());
        for (String name : new String[] {"client-request-id", "MS-CorrelationId", "MS-RequestId"}) {
            String value = request.getHeaderString(name);
            response.getHeaders().putSingle(name, value != null ? value : UUID.randomUUID().toString());
        }
    }
}
