package io.cosellsync.simulator.salesforce.cdc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Change data capture and the Pub/Sub API of the simulator ({@code salesforce-sim.cdc.*}). */
@ConfigMapping(prefix = "salesforce-sim.cdc")
public interface CdcSettings {

    /** Objects selected for change data capture (OpportunityTeamMember and Note have no change events). */
    @WithDefault("Account,Contact,Opportunity,OpportunityContactRole,Microsoft_Solution__c")
    List<String> entities();

    /** How long events are kept, on the simulator clock. */
    @WithDefault("72h")
    Duration retention();

    /** An idle stream gets an empty response carrying the latest replay id at least this often. */
    @WithDefault("270s")
    Duration keepalive();

    /** A stream with nothing requested is closed after this long without a new request. */
    @WithDefault("70s")
    Duration idleClose();

    /** Events an org may have delivered to subscribers in 24 hours (Performance and Unlimited editions). */
    @WithDefault("50000")
    long dailyDeliveryAllocation();
}
