package io.cosellsync.events.salesforce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;

/** A {@code Microsoft_Solution__c} child of the opportunity. */
public record SolutionLink(@JsonProperty(required = true) String id,
        @JsonProperty(required = true) String solutionId, String solutionName) {

    public SolutionLink {
        Require.present(id, "id");
        Require.present(solutionId, "solutionId");
    }
}
