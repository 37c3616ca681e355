package io.cosellsync.events.partnercenter;

import io.cosellsync.events.Require;

/** A solution on the referral, e.g. {@code SOL-15974-MQF} of type {@code Name}. */
public record Solution(String id, String name, String type) {

    public Solution {
        Require.present(id, "id");
    }
}
