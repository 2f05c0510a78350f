package io.jumiorisk.jumio;

import java.net.http.HttpRequest;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;

/**
 * The calls that start a workflow: the account request (account host), then the prepared-data upload and finalize
 * (api host, at the URLs Jumio handed out, and only once {@link ApiUrls} has found them to be Jumio's and this
 * workflow's). Each is retried on 429, 5xx and timeouts with backoff and jitter,
 * honouring {@code Retry-After}, inside the invocation's deadline, where that is safe ({@link JumioBackoff}); any other
 * 4xx fails at once. Account requests keep to the tenant's rate ({@link AccountPacer}).
 */
@ApplicationScoped
public class JumioWorkflows {
    private static final int RETRIES = 4;

    private final BearerCalls bearerCalls;
    private final JumioHttp http;
    private final String accountUrl;
    private final ApiUrls apiUrls;
    private final AccountPacer pacer;

    JumioWorkflows(JumioEndpoints endpoints, BearerCalls bearerCalls, JumioHttp http, AccountPacer pacer) {
        this.bearerCalls = bearerCalls;
        this.pacer = pacer;
        this.http = http;
        this.accountUrl = endpoints.accountUrl();
        this.apiUrls = ApiUrls.of(endpoints);
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
            body = JumioBackoff.retriedIfUnprocessed(RETRIES,
                    () -> bearerCalls.exchange(op, deadline, () -> accountCall(op, accountId, request, deadline)));
        } catch (JumioCallFailure e) {
            if (e.maybeProcessed()) {
                throw new JumioCallFailure.Ambiguous(op, e);
            }
            throw e;
        }
        return parseStart(op, body);
    }

    /**
     * One account request, built right before it is sent; so each one that goes out, the first, a retry after a 429
     * and the repeat after a 401, has taken a slot of the tenant's rate first.
     */
    private HttpRequest.Builder accountCall(String op, String accountId, AccountRequest request, Deadline deadline) {
        pacer.awaitSlot(op, deadline);
        return (accountId == null
                ? JumioHttp.to(JumioHttp.url(accountUrl, "/api/v1/accounts")).POST(http.json(request))
                : JumioHttp.to(JumioHttp.url(accountUrl, "/api/v1/accounts", accountId)).PUT(http.json(request)))
                .header("Content-Type", "application/json");
    }

    /**
     * @param accountId the account that the account answer named; the upload URL must be under it
     * @param workflowExecutionId the workflow it started; an upload URL that names a workflow must name this one
     * @throws UntrustedUrl when {@code preparedDataUrl} is not on Jumio's api host or names another account or
     *     workflow; nothing was sent
     */
    public void uploadPreparedData(String accountId, String workflowExecutionId, String preparedDataUrl,
            String workflowToken, JsonNode preparedData, Deadline deadline) {
        apiUrls.requirePreparedData(preparedDataUrl, accountId, workflowExecutionId);
        JumioBackoff.retried(RETRIES, () -> http.exchange("prepared data upload", deadline,
                JumioHttp.to(preparedDataUrl).POST(http.json(preparedData))
                        .header("Authorization", "Bearer " + workflowToken)
                        .header("Content-Type", "application/json")));
    }

    /**
     * @param accountId the account that the account answer named
     * @param workflowExecutionId the workflow it started; the finalize URL must be exactly this workflow's
     * @throws UntrustedUrl when {@code workflowExecutionUrl} is not that workflow's URL on Jumio's api host; nothing
     *     was sent
     */
    public void finalizeWorkflow(String accountId, String workflowExecutionId, String workflowExecutionUrl,
            String workflowToken, Deadline deadline) {
        apiUrls.requireFinalize(workflowExecutionUrl, accountId, workflowExecutionId);
        JumioBackoff.retried(RETRIES, () -> http.exchange("finalize", deadline,
                JumioHttp.to(workflowExecutionUrl).PUT(HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Authorization", "Bearer " + workflowToken)
                        .header("Content-Type", "application/json")));
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
