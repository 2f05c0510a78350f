package io.jumiorisk.check.model;

import java.util.Locale;

/** What an erasure deletes at Jumio. */
public enum ErasureScope {
    /** The check's own workflow execution. */
    WORKFLOW,
    /** The Jumio account, with every workflow execution under it (other checks for the same account too). */
    ACCOUNT;

    /** The name callers and the table use: {@code workflow} or {@code account}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the scope named {@code wire}, or null when it names none */
    public static ErasureScope fromWire(String wire) {
        for (ErasureScope scope : values()) {
            if (scope.wire().equals(wire)) {
                return scope;
            }
        }
        return null;
    }
}
