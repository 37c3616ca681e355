package io.cosellsync.simulator.salesforce.control;

/**
 * Faults the Salesforce simulator injects per org (salesforce-api.md §2.10–§2.12), off by default, each counted.
 * Ratios are the share of REST calls (or of record writes, for row locks) affected.
 */
public enum Fault {
    /** Milliseconds added before each REST call is answered. */
    LATENCY,
    /** Share of REST calls answered 503 SERVER_UNAVAILABLE. */
    SERVER_UNAVAILABLE,
    /** Seconds (on the simulator clock, from when it is set) during which every REST call gets 403 REQUEST_LIMIT_EXCEEDED. */
    REQUEST_LIMIT_EXCEEDED,
    /** Share of record writes refused with UNABLE_TO_LOCK_ROW (per record in collections). */
    ROW_LOCK,
    /** Share of REST calls whose (valid) session is revoked on the spot: 401 INVALID_SESSION_ID. */
    SESSION_REVOCATION
}
