package io.jumiorisk.check.model;

/** What Jumio said to an erasure, as the tombstone keeps it. */
public enum ErasureOutcome {
    /** Jumio deleted the data. */
    DELETED,
    /** Jumio had nothing to delete any more (it answered 404). */
    ALREADY_GONE,
    /** Nothing was started at Jumio as far as the check knows. */
    NO_WORKFLOW_STARTED
}
