package io.jumiorisk.jumio;

import jakarta.enterprise.context.ApplicationScoped;

import io.jumiorisk.Deadline;

/**
 * Deletes data at Jumio (the retrieval host; needs Jumio's "retrieve &amp; delete" permission). Deleting is
 * idempotent, so unlike the account call a timeout is retried too.
 */
@ApplicationScoped
public class JumioErasure {
    private static final int RETRIES = 3;

    private final BearerCalls bearerCalls;
    private final String retrievalUrl;

    JumioErasure(JumioEndpoints endpoints, @ForErasure BearerCalls bearerCalls) {
        this.bearerCalls = bearerCalls;
        this.retrievalUrl = endpoints.retrievalUrl();
    }

    /**
     * Deletes one workflow execution and its data.
     *
     * @return false when Jumio no longer has it (404)
     */
    public boolean deleteWorkflow(String accountId, String workflowExecutionId, Deadline deadline) {
        return gone(() -> JumioBackoff.retried(RETRIES, () -> bearerCalls.exchange("workflow deletion", deadline,
                () -> JumioHttp.to(JumioHttp.url(retrievalUrl, "/api/v1/accounts", accountId,
                        "/workflow-executions", workflowExecutionId)).DELETE())));
    }

    /**
     * Deletes a Jumio account with every workflow execution under it.
     *
     * @return false when Jumio no longer has it (404)
     */
    public boolean deleteAccount(String accountId, Deadline deadline) {
        return gone(() -> JumioBackoff.retried(RETRIES, () -> bearerCalls.exchange("account deletion", deadline,
                () -> JumioHttp.to(JumioHttp.url(retrievalUrl, "/api/v1/accounts", accountId)).DELETE())));
    }

    private static boolean gone(Runnable delete) {
        try {
            delete.run();
            return true;
        } catch (JumioCallFailure.Rejected e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }
}
