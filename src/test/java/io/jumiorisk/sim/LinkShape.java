package io.jumiorisk.sim;

/**
 * The shape of an upload ({@code parts.prepared_data}) or finalize ({@code api.workflowExecution}) URL in the account
 * answer. Every shape but {@link #JUMIO} and {@link #NO_WORKFLOW_SEGMENT} is a URL that a client must not use.
 */
public enum LinkShape {
    /** The simulator's own api host, with this workflow's ids (default). */
    JUMIO,
    /** {@code https://evil.example.com/api/v1/accounts/{a}/workflow-executions/{w}...}: nothing can arrive there. */
    OTHER_HOST,
    /**
     * Another origin on loopback, a listener of the simulator that answers every request 404 and records it as
     * {@link Endpoint#STRAY}.
     */
    OTHER_PORT,
    /** The api host with user info: {@code http://user:pw@127.0.0.1:PORT/api/api/v1/...}. */
    USER_INFO,
    /** The api host, with an account id in the path that is not this workflow's (a fresh UUID). */
    OTHER_ACCOUNT,
    /** The api host, with a workflow id in the path that is not this workflow's (a fresh UUID). */
    OTHER_WORKFLOW,
    /**
     * Upload URL only: {@code .../api/v1/accounts/{a}/credentials/{c}/parts/PREPARED_DATA}, a shape seen in recorded
     * real answers; the simulator's upload endpoint accepts it.
     */
    NO_WORKFLOW_SEGMENT
}
