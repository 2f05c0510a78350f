package io.jumiorisk.check.model;

/** Where the Step Functions task waiting on a check stands. */
public enum TaskState {
    /** A task token is stored and the check has not completed yet. */
    WAITING,
    /** One invocation has claimed the completion and is calling Step Functions. */
    COMPLETING,
    /** SendTaskSuccess or SendTaskFailure was accepted. */
    COMPLETED,
    /** Step Functions no longer knows the task (timed out, gone, or a bad token): final, never retried. */
    ABANDONED;

    /** Whether a completion may still be sent: nobody sent one yet, or a claim may be stale. */
    public boolean open() {
        return this == WAITING || this == COMPLETING;
    }
}
