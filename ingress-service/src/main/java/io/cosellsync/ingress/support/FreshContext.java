package io.cosellsync.ingress.support;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs reactive work on a new duplicated Vert.x context. Hibernate Reactive binds one session to a context, so work
 * started outside one (a timer) or several pieces of work running at once each need their own.
 */
public final class FreshContext {

    private FreshContext() {
    }

    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(v -> work.get().subscribe().with(emitter::complete, emitter::fail));
        });
    }
}
