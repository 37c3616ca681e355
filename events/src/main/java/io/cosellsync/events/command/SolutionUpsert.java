package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;

/** A desired {@code Microsoft_Solution__c} child, matched by its Partner Center solution id. */
public record SolutionUpsert(@JsonProperty(required = true) String solutionId, String solutionName) {

    public SolutionUpsert {
        Require.present(solutionId, "solutionId");
    }
}
