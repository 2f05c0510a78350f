package io.jumiorisk.store;

/** What a client sees. Everything but {@link #PENDING} is terminal. */
public enum CheckStatus {
    PENDING, PROCESSED, SESSION_EXPIRED, TOKEN_EXPIRED, FAILED;

    public boolean terminal() {
        return this != PENDING;
    }
}
