package io.jumiorisk.check.model;

/** What a client sees. Everything but {@link #PENDING} is terminal; {@link #ERASED} is a tombstone. */
public enum CheckStatus {
    PENDING,
    PROCESSED,
    SESSION_EXPIRED,
    TOKEN_EXPIRED,
    FAILED,
    ERASED;

    public boolean terminal() {
        return this != PENDING;
    }
}
