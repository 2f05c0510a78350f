package io.jumiorisk.jumio;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import io.jumiorisk.Deadline;
import io.smallrye.faulttolerance.api.CustomBackoff;

/**
 * Deletes data at Jumio (the retrieval host; needs Jumio's "retrieve &amp; delete" permission). Deleting is
 * idempotent, so unlike the account call a timeout is retried too.
 */
@ApplicationScoped
@Retry(maxRetries = 3, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
        JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class,
        JumioCallFailure.Ambiguous.class})
@CustomBackoff(JumioBackoff.class)
public class JumioErasure {
    private final JumioApis.Retrieval retrieval;
    private final JumioApis.AccountErasure accounts;
    private final BearerCalls bearerCalls;
    private final String userAgent;

    JumioErasure(JumioEndpoints endpoints, @ForErasure BearerCalls bearerCalls, JumioConfig config) {
        this.retrieval = RestClients.build(JumioApis.Retrieval.class, endpoints.retrievalUrl(), config);
        this.accounts = RestClients.build(JumioApis.AccountErasure.class, endpoints.retrievalUrl(), config);
        this.bearerCalls = bearerCalls;
        this.userAgent = endpoints.userAgent();
    }

    /**
     * Deletes one workflow execution and its data.
     *
     * @return false when Jumio no longer has it (404)
     */
    public boolean deleteWorkflow(String accountId, String workflowExecutionId, Deadline deadline) {
        return gone(() -> bearerCalls.exchange("workflow deletion", deadline,
                bearer -> retrieval.delete(bearer, userAgent, accountId, workflowExecutionId)));
    }

    /**
     * Deletes a Jumio account with every workflow execution under it.
     *
     * @return false when Jumio no longer has it (404)
     */
    public boolean deleteAccount(String accountId, Deadline deadline) {
        return gone(() -> bearerCalls.exchange("account deletion", deadline,
                bearer -> accounts.delete(bearer, userAgent, accountId)));
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
