package io.cosellsync.events.partnercenter;

/** Customer address; {@code country} is an ISO 3166 alpha-2 code. */
public record Address(String addressLine1, String addressLine2, String city, String state, String postalCode,
        String country, String region) {
}
