package io.jumiorisk.sim;

/** The simulated Jumio endpoints, used for counting, recording and misbehaviour injection. */
public enum Endpoint {
    /** {@code POST /auth/oauth2/token} */
    TOKEN,
    /** {@code POST /account/api/v1/accounts} */
    ACCOUNT_CREATE,
    /** {@code PUT /account/api/v1/accounts/{accountId}} */
    ACCOUNT_UPDATE,
    /** {@code POST /api/api/v1/accounts/{a}/workflow-executions/{w}/credentials/{c}/parts/PREPARED_DATA} */
    UPLOAD,
    /** {@code PUT /api/api/v1/accounts/{a}/workflow-executions/{w}} */
    FINALIZE,
    /** {@code GET /retrieval/api/v1/accounts/{a}/workflow-executions/{w}/status} */
    STATUS,
    /** {@code GET /retrieval/api/v1/accounts/{a}/workflow-executions/{w}} */
    DETAILS,
    /** {@code DELETE /retrieval/api/v1/accounts/{a}} and {@code DELETE .../workflow-executions/{w}} */
    DELETE,
    /** Outgoing callback deliveries (each attempt). */
    CALLBACK,
    /**
     * Any request to the simulator's second origin on loopback, where only a {@link LinkShape#OTHER_PORT} link leads
     * (answered 404).
     */
    STRAY
}
