package io.cosellsync.salesforcewriter.writer;

/**
 * Another writer replica has claimed the creation of a customer's account this batch needs: the batch is applied
 * again shortly, when the account is linked (or the claim has timed out and can be taken over).
 */
public class AccountBeingCreated extends RuntimeException {

    public AccountBeingCreated(int customers) {
        super(customers + " customer account(s) are being created by another writer", null, false, false);
    }
}
