package io.cosellsync.salesforcewriter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * A command this writer has taken in, once per event id and tenant. It is the writer's message log: a redelivered
 * command finds its row and is not applied twice.
 */
@Entity
@Table(name = "received_command")
public class ReceivedCommand {

    @Embeddable
    public record Key(@Column(name = "tenant_id") String tenantId, @Column(name = "event_id") String eventId)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "command_type", nullable = false)
    public String commandType;

    @Column(name = "subject", nullable = false)
    public String subject;

    @Column(name = "correlation_id", nullable = false)
    public String correlationId;

    @Column(name = "source_version")
    public String sourceVersion;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
