package io.cosellsync.support.persistence;

import io.cosellsync.events.Envelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The message log of a stateful service ({@code processed_event}): each event it handled, once per tenant and event
 * id. Both writers record a command here, in a statement of its own, after the command was applied and its state
 * written; it is not what makes them idempotent (their own state is: the salesforce-writer's sync state and its
 * fingerprints, the partnercenter-writer's referral links). What it gives: the counter
 * {@code cosell_commands_received{duplicate}} (how many commands arrived again) and, for an operator, which events a
 * service has handled.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final Pool pool;

    public ProcessedEvents(Pool pool) {
        this.pool = pool;
    }

    /** Records the event unless this tenant already has one with its id; emits true when it is new. */
    public Uni<Boolean> recordOnce(Envelope envelope) {
        return pool.preparedQuery("""
                INSERT INTO processed_event
                    (tenant_id, event_id, event_type, subject, correlation_id, source_version, processed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (tenant_id, event_id) DO NOTHING""")
                .execute(Tuple.tuple(Arrays.asList(envelope.tenant().value(), envelope.id(),
                        envelope.type().ceType(), envelope.subject(), envelope.correlationId(),
                        envelope.sourceVersion(), OffsetDateTime.now(ZoneOffset.UTC))))
                .map(result -> result.rowCount() == 1);
    }
}
