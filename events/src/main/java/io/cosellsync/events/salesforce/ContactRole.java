package io.cosellsync.events.salesforce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;

/** An OpportunityContactRole with the Contact it points to (the customer contact). */
public record ContactRole(@JsonProperty(required = true) String id, String role, boolean primary,
        @JsonProperty(required = true) SObjectRecord contact) {

    public ContactRole {
        Require.present(id, "id");
        Require.present(contact, "contact");
    }
}
