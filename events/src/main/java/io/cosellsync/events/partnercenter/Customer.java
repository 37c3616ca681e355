package io.cosellsync.events.partnercenter;

import io.cosellsync.events.Require;
import java.util.List;

/** The referral's {@code customerProfile}: the customer organisation and its contacts. */
public record Customer(String name, Address address, String size, List<Member> contacts) {

    public Customer {
        contacts = Require.list(contacts);
    }
}
