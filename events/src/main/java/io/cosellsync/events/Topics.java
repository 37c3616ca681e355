package io.cosellsync.events;

import java.time.Duration;
import java.util.List;

/**
 * Every topic of the system, in one place. Names are {@code <prefix><domain>.<entity>.<kind>}; the prefix
 * (default {@code cosell.}) lets several installations share one cluster. Services read the full names from the
 * configuration keys {@code cosell.topic.<key>} (derived from these and {@code cosell.topic-prefix});
 * {@link TopicProvisioner} creates them explicitly.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "cosell.";

    /** Verified Partner Center webhooks (ingress's webhook endpoint → its hydrator); key = referral id. */
    public static final String REFERRAL_NOTIFICATIONS = "partnercenter.referral.notifications";
    /** Hydrated Partner Center referrals (ingress → mapper); key = referral id. */
    public static final String REFERRAL_SNAPSHOTS = "partnercenter.referral.snapshots";
    /** Salesforce change events, one per record (ingress's Pub/Sub subscriber → its hydrator); key = record id. */
    public static final String CHANGE_NOTIFICATIONS = "salesforce.change.notifications";
    /** Hydrated Salesforce opportunities (ingress → mapper); key = opportunity id. */
    public static final String OPPORTUNITY_SNAPSHOTS = "salesforce.opportunity.snapshots";
    /** Commands for salesforce-writer (mapper → writer); key = referral id, or opportunity id for write-backs. */
    public static final String SALESFORCE_COMMANDS = "salesforce.opportunity.commands";
    /** Commands for partnercenter-writer (mapper → writer); key = opportunity id. */
    public static final String PARTNERCENTER_COMMANDS = "partnercenter.referral.commands";
    /**
     * How commands ended (mapper: skipped, unmappable; partnercenter-writer: every command). No service reads it yet:
     * the tests and benchmarks do.
     */
    public static final String SYNC_OUTCOMES = "sync.outcomes";
    /**
     * Dead letters, one topic per consuming service, each record kept whole with the reason. The salesforce-writer
     * reads all four into its dead-letter index and puts each on the Audit trail of the opportunity it concerns.
     */
    public static final String INGRESS_DLQ = "ingress-service.dlq";
    public static final String MAPPER_DLQ = "mapper-service.dlq";
    public static final String SALESFORCE_WRITER_DLQ = "salesforce-writer.dlq";
    public static final String PARTNERCENTER_WRITER_DLQ = "partnercenter-writer.dlq";

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    private Topics() {
    }

    /** All topics with their creation settings, names prefixed. */
    public static List<TopicSpec> all(String prefix) {
        return List.of(
                new TopicSpec("referral-notifications", prefix + REFERRAL_NOTIFICATIONS, 6, WEEK, "verified webhooks"),
                new TopicSpec("referral-snapshots", prefix + REFERRAL_SNAPSHOTS, 6, WEEK, "hydrated referrals"),
                new TopicSpec("change-notifications", prefix + CHANGE_NOTIFICATIONS, 6, WEEK, "Salesforce change events"),
                new TopicSpec("opportunity-snapshots", prefix + OPPORTUNITY_SNAPSHOTS, 6, WEEK, "hydrated opportunities"),
                new TopicSpec("salesforce-commands", prefix + SALESFORCE_COMMANDS, 6, WEEK, "salesforce-writer input"),
                new TopicSpec("partnercenter-commands", prefix + PARTNERCENTER_COMMANDS, 6, WEEK, "partnercenter-writer input"),
                new TopicSpec("sync-outcomes", prefix + SYNC_OUTCOMES, 6, WEEK, "writer outcomes"),
                // dead letters are kept long enough for an operator to notice, fix and replay them
                new TopicSpec("ingress-dlq", prefix + INGRESS_DLQ, 3, MONTH, "ingress dead letters"),
                new TopicSpec("mapper-dlq", prefix + MAPPER_DLQ, 3, MONTH, "mapper dead letters"),
                new TopicSpec("salesforce-writer-dlq", prefix + SALESFORCE_WRITER_DLQ, 3, MONTH, "salesforce-writer dead letters"),
                new TopicSpec("partnercenter-writer-dlq", prefix + PARTNERCENTER_WRITER_DLQ, 3, MONTH, "partnercenter-writer dead letters"));
    }
}
