package io.cosellsync.simulator.salesforce.cdc;

import io.cosellsync.simulator.salesforce.auth.Hosts;
import io.cosellsync.simulator.salesforce.auth.Sessions;
import io.cosellsync.simulator.salesforce.auth.Sessions.Session;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * Authenticates every Pub/Sub call from its metadata — {@code accesstoken}, {@code instanceurl} (the instance the
 * token was issued for) and {@code tenantid} (the 18-character org id) — and hands the caller to the service.
 */
@GlobalInterceptor
@ApplicationScoped
public class PubSubCaller implements ServerInterceptor {

    /** The authenticated caller of the current call. */
    public record Caller(String tenant, String orgId, String token, String userId) {
    }

    static final Context.Key<Caller> CALLER = Context.key("pubsub-caller");
    private static final Metadata.Key<String> ACCESS_TOKEN = key("accesstoken");
    private static final Metadata.Key<String> INSTANCE_URL = key("instanceurl");
    private static final Metadata.Key<String> TENANT_ID = key("tenantid");

    private final Sessions sessions;
    private final Hosts hosts;

    public PubSubCaller(Sessions sessions, Hosts hosts) {
        this.sessions = sessions;
        this.hosts = hosts;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getFullMethodName().startsWith("eventbus.v1.PubSub/")) {
            return next.startCall(call, headers);
        }
        try {
            Caller caller = authenticate(headers);
            return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
        } catch (StatusRuntimeException e) {
            call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
    }

    private Caller authenticate(Metadata headers) {
        String token = headers.get(ACCESS_TOKEN);
        String instance = headers.get(INSTANCE_URL);
        String tenantId = headers.get(TENANT_ID);
        if (token == null || instance == null || tenantId == null) {
            throw PubSubErrors.error(Status.Code.UNAUTHENTICATED, "service.auth.headers.invalid",
                    "The accesstoken, instanceurl and tenantid headers are required.");
        }
        Session session;
        try {
            session = sessions.require("Bearer " + token);
        } catch (RuntimeException e) {
            throw PubSubErrors.authError();
        }
        String host;
        try {
            host = URI.create(instance.trim()).getHost();
        } catch (IllegalArgumentException e) {
            host = null;
        }
        if (host == null || !hosts.isInstance(host) || !session.org().id().equals(tenantId.trim())) {
            throw PubSubErrors.authError();
        }
        return new Caller(session.org().tenant(), session.org().id(), token, session.user().id());
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
