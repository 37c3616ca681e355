package io.cosellsync.events.outcome;

/** Which way a change travelled. */
public enum SyncDirection {
    PARTNER_CENTER_TO_SALESFORCE,
    SALESFORCE_TO_PARTNER_CENTER
}
