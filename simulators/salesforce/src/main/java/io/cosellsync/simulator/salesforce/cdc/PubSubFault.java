package io.cosellsync.simulator.salesforce.cdc;

/**
 * Faults of the Pub/Sub API and the event bus, injected through {@code POST /_sim/pubsub/orgs/{tenant}/faults/{fault}}
 * and counted per org.
 */
public enum PubSubFault {
    /** A gap event ({@code GAP_CREATE|GAP_UPDATE|GAP_DELETE|GAP_UNDELETE}): header and record ids, no field values. */
    GAP,
    /**
     * An event whose payload is not its schema's Avro (the given base64 bytes, or random ones): a stream that
     * delivers something a client cannot read. Salesforce is not known to do this; clients must survive it anyway.
     */
    CORRUPT,
    /** A {@code GAP_OVERFLOW} event for an object: header only, no record ids. */
    OVERFLOW,
    /** The next transaction's updates that set the same values on several records of a type: one merged event. */
    MERGED,
    /** Every replay id issued so far stops being valid (as after the retention), the events with them. */
    EXPIRE_REPLAY_IDS,
    /** Every open stream of the org ends with {@code UNAVAILABLE} {@code service.unavailable}. */
    DROP_STREAMS,
    /** The sessions of the org's open streams are revoked: the streams end with {@code UNAUTHENTICATED}. */
    REVOKE_TOKEN,
    /** Events are delivered only once they are this many milliseconds old (0 ends it). */
    DELAY_DELIVERY,
    /** The org's daily delivery allocation is used up until the fault is cleared or the org reset. */
    EXHAUST_ALLOCATION
}
