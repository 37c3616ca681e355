package io.cosellsync.events;

import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every payload the system puts on Kafka. The CloudEvents {@code type} carries the major version: a
 * breaking change is a new constant ({@code ….v2}) that producers and consumers add side by side.
 */
public enum EventType {
    REFERRAL_NOTIFICATION("partnercenter.referral.notification", 1, ReferralNotification.class),
    REFERRAL_SNAPSHOT("partnercenter.referral.snapshot", 1, ReferralSnapshot.class),
    CHANGE_NOTIFICATION("salesforce.change.notification", 1, ChangeNotification.class),
    OPPORTUNITY_SNAPSHOT("salesforce.opportunity.snapshot", 1, OpportunitySnapshot.class),
    UPSERT_OPPORTUNITY("salesforce.opportunity.upsert", 1, UpsertOpportunityCommand.class),
    UPDATE_OPPORTUNITY("salesforce.opportunity.update", 1, UpdateOpportunityCommand.class),
    CREATE_REFERRAL("partnercenter.referral.create", 1, CreateReferralCommand.class),
    UPDATE_REFERRAL("partnercenter.referral.update", 1, UpdateReferralCommand.class),
    SYNC_OUTCOME("sync.outcome", 1, SyncOutcome.class),
    DEAD_LETTER("sync.dead-letter", 1, DeadLetter.class);

    private static final String TYPE_PREFIX = "io.cosellsync.";

    private final String name;
    private final int version;
    private final Class<?> payloadType;

    EventType(String name, int version, Class<?> payloadType) {
        this.name = name;
        this.version = version;
        this.payloadType = payloadType;
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code io.cosellsync.sync.outcome.v1}. */
    public String ceType() {
        return TYPE_PREFIX + name + ".v" + version;
    }

    public Class<?> payloadType() {
        return payloadType;
    }

    /** File name stem of the JSON schema and golden sample, e.g. {@code sync.outcome.v1}. */
    public String fileStem() {
        return name + ".v" + version;
    }

    /** Classpath resource of the JSON schema. */
    public String schemaResource() {
        return "schemas/" + fileStem() + ".schema.json";
    }

    /** Classpath resource of the golden sample payload. */
    public String sampleResource() {
        return "samples/" + fileStem() + ".json";
    }

    /** The CloudEvents {@code dataschema} attribute. */
    public URI dataSchema() {
        return URI.create("urn:cosellsync:schema:" + fileStem());
    }

    public static Optional<EventType> fromCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType().equals(ceType)).findFirst();
    }
}
