package io.jumiorisk.jumio;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;

/**
 * Jumio's retrieval API: a workflow's status and its details. URLs are built from ids, never taken from a callback.
 * Reads are safe to repeat: retried on 429, 5xx and timeouts inside the invocation's deadline.
 */
@ApplicationScoped
public class JumioRetrieval {
    private static final int RETRIES = 3;

    private final BearerCalls bearerCalls;
    private final String retrievalUrl;

    JumioRetrieval(JumioEndpoints endpoints, BearerCalls bearerCalls) {
        this.bearerCalls = bearerCalls;
        this.retrievalUrl = endpoints.retrievalUrl();
    }

    public JsonNode workflowStatus(String accountId, String workflowExecutionId, Deadline deadline) {
        return JumioBackoff.retried(RETRIES, () -> bearerCalls.exchange("status retrieval", deadline,
                () -> JumioHttp.to(JumioHttp.url(retrievalUrl, "/api/v1/accounts", accountId,
                        "/workflow-executions", workflowExecutionId, "/status")).GET()));
    }

    /** The full details, which can hold personal data: callers keep only the decision summary. */
    public JsonNode workflowDetails(String accountId, String workflowExecutionId, Deadline deadline) {
        return JumioBackoff.retried(RETRIES, () -> bearerCalls.exchange("details retrieval", deadline,
                () -> JumioHttp.to(JumioHttp.url(retrievalUrl, "/api/v1/accounts", accountId,
                        "/workflow-executions", workflowExecutionId)).GET()));
    }
}
