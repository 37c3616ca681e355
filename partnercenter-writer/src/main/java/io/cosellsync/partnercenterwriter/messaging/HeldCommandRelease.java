package io.cosellsync.partnercenterwriter.messaging;

import io.cosellsync.support.persistence.HeldCommands;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** At start: the commands held for tenants no longer in dry run go out again on the writer's own input topic. */
@ApplicationScoped
public class HeldCommandRelease {

    private final HeldCommands held;
    private final MutinyEmitter<byte[]> commands;

    public HeldCommandRelease(HeldCommands held, @Channel("commands-again") MutinyEmitter<byte[]> commands) {
        this.held = held;
        this.commands = commands;
    }

    void onStart(@Observes StartupEvent event) {
        held.releaseLiveTenants("partnercenter-writer", commands, tenant -> Uni.createFrom().voidItem());
    }
}
