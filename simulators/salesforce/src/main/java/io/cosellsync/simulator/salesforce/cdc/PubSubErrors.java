package io.cosellsync.simulator.salesforce.cdc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.UUID;

/**
 * Pub/Sub API errors as Salesforce sends them: a gRPC status whose description ends with {@code rpcId: …} and the
 * Salesforce error code in the {@code error-code} trailer (salesforce-api.md §3.8).
 */
public final class PubSubErrors {

    public static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    public static final String PREFIX = "sfdc.platform.eventbus.grpc.";

    private PubSubErrors() {
    }

    static StatusRuntimeException error(Status.Code status, String code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, PREFIX + code);
        return Status.fromCode(status).withDescription(message + " rpcId: " + UUID.randomUUID())
                .asRuntimeException(trailers);
    }

    static StatusRuntimeException authError() {
        return error(Status.Code.UNAUTHENTICATED, "service.auth.error", "An error occurred while authenticating"
                + " the request. Check the session ID, instance URL and tenant ID.");
    }

    static StatusRuntimeException topicNotFound(String topic) {
        return error(Status.Code.NOT_FOUND, "topic.not.found", "Topic not found: " + topic + ".");
    }
}
