package io.jumiorisk.check.model;

/** How far the start of a check got; a retry resumes from here. The order is the order of the calls to Jumio. */
public enum Step {
    RECORDED,
    WORKFLOW_STARTED,
    DATA_UPLOADED,
    FINALIZED
}
