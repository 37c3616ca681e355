package io.cosellsync.simulator.salesforce.schema;

/** An opportunity stage (a row of OpportunityStage): what choosing it implies for the derived fields. */
public record Stage(String name, int probability, String forecastCategory, boolean closed, boolean won) {
}
