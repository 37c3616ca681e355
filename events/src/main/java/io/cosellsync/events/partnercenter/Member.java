package io.cosellsync.events.partnercenter;

/** A person on a referral: a customer contact or a partner seller. */
public record Member(String firstName, String lastName, String email, String phoneNumber, String title) {
}
