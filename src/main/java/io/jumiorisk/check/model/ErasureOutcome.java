package io.jumiorisk.check.model;

/** What Jumio said to an erasure, as the tombstone keeps it. */
public enum ErasureOutcome {
    /** Jumio deleted the data. */
    DELETED,
    /** Jumio had nothing to delete any more (it answered 404). */
    ALREADY_GONE,
    /** Nothing was started at Jumio as far as the check knows. */
    NO_WORKFLOW_STARTED,
    /**
     * The check has no workflow of its own, but an ambiguous account request may have left one at Jumio: it is
     * deleted when Jumio reveals it (by its expiry callback).
     */
    ATTEMPT_UNRESOLVED
}
