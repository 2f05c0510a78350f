package io.jumiorisk.jumio;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.smallrye.faulttolerance.api.CustomBackoff;

/**
 * The calls that start a workflow: the account request (account host), then the prepared-data upload and finalize
 * (api host, at the URLs Jumio handed out). Each is retried on 429, 5xx and timeouts with backoff and jitter,
 * honouring {@code Retry-After}, inside the invocation's deadline; any other 4xx fails at once.
 */
@ApplicationScoped
@Retry(maxRetries = 4, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
        JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class,
        JumioCallFailure.Ambiguous.class})
@CustomBackoff(JumioBackoff.class)
public class JumioWorkflows {
    private final JumioApis.Accounts accounts;
    private final JumioApis.Workflow workflow;
    private final BearerCalls bearerCalls;
    private final JumioHttp http;
    private final String userAgent;

    JumioWorkflows(JumioEndpoints endpoints, BearerCalls bearerCalls, JumioHttp http, JumioConfig config) {
        this.accounts = RestClients.build(JumioApis.Accounts.class, endpoints.accountUrl(), config);
        // Base URL unused: every workflow call names the absolute URL that Jumio handed out.
        this.workflow = RestClients.build(JumioApis.Workflow.class, endpoints.accountUrl(), config);
        this.bearerCalls = bearerCalls;
        this.http = http;
        this.userAgent = endpoints.userAgent();
    }

    /**
     * Starts a workflow execution: POST for a new account, PUT when {@code accountId} names an existing one. Jumio
     * documents no idempotency for it, so only what surely did nothing (a 429, a connection that never opened) is
     * repeated here; anything else that leaves us unsure is {@link JumioCallFailure.Ambiguous}, for the caller to
     * record before it decides.
     */
    public WorkflowStart startWorkflow(String accountId, AccountRequest request, Deadline deadline) {
        String op = accountId == null ? "account create" : "account update";
        JsonNode body;
        try {
            body = bearerCalls.exchange(op, deadline, bearer -> accountId == null
                    ? accounts.create(bearer, userAgent, request)
                    : accounts.update(bearer, userAgent, accountId, request));
        } catch (JumioCallFailure e) {
            if (e.maybeProcessed()) {
                throw new JumioCallFailure.Ambiguous(op, e);
            }
            throw e;
        }
        return parseStart(op, body);
    }

    public void uploadPreparedData(String preparedDataUrl, String workflowToken, JsonNode preparedData,
            Deadline deadline) {
        http.exchange("prepared data upload", deadline, () -> workflow.upload(preparedDataUrl,
                "Bearer " + workflowToken, userAgent, preparedData));
    }

    public void finalizeWorkflow(String workflowExecutionUrl, String workflowToken, Deadline deadline) {
        http.exchange("finalize", deadline, () -> workflow.finalizeWorkflow(workflowExecutionUrl,
                "Bearer " + workflowToken, userAgent, "{}"));
    }

    private static WorkflowStart parseStart(String op, JsonNode body) {
        String accountId = body.path("account").path("id").asText(null);
        JsonNode execution = body.path("workflowExecution");
        JsonNode api = null;
        for (JsonNode credential : execution.path("credentials")) {
            if ("DATA".equals(credential.path("category").asText())) {
                api = credential.path("api");
            }
        }
        String wx = execution.path("id").asText(null);
        String upload = api == null ? null : api.path("parts").path("prepared_data").asText(null);
        String finalizeUrl = api == null ? null : api.path("workflowExecution").asText(null);
        String token = api == null ? null : api.path("token").asText(null);
        if (accountId == null || wx == null || upload == null || finalizeUrl == null || token == null) {
            // A 2xx without what the next steps need: a workflow may exist that we cannot use or even name.
            throw new JumioCallFailure.Ambiguous(op, JumioCallFailure.INCOMPLETE_ANSWER);
        }
        return new WorkflowStart(accountId, wx, upload, finalizeUrl, token);
    }
}
