package io.cosellsync.events.salesforce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;

/** An OpportunityTeamMember (a partner seller) with the User fields Partner Center needs. */
public record TeamMember(@JsonProperty(required = true) String id, @JsonProperty(required = true) String userId,
        String role, String firstName, String lastName, String email, String phone, String title) {

    public TeamMember {
        Require.present(id, "id");
        Require.present(userId, "userId");
    }
}
