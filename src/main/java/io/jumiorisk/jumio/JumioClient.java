package io.jumiorisk.jumio;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Jumio's account, upload, finalize and retrieval calls. Each call is retried on 429, 5xx and timeouts with backoff
 * and jitter, honouring {@code Retry-After}, inside the invocation's deadline; a 401 refreshes the access token once
 * and repeats the call once; any other 4xx fails at once.
 */
@ApplicationScoped
public class JumioClient {
    private final JumioApis.Accounts accounts;
    private final JumioApis.Workflow workflow;
    private final JumioApis.Retrieval retrieval;
    private final JumioApis.AccountErasure accountErasure;
    private final JumioHttp http;
    private final AccessTokens tokens;
    private final JumioConfig config;

    public JumioClient(JumioEndpoints endpoints, JumioHttp http, AccessTokens tokens, JumioConfig config) {
        this.accounts = RestClients.build(JumioApis.Accounts.class, endpoints.accountUrl(), config);
        // Base URL unused: every workflow call names the absolute URL that Jumio handed out.
        this.workflow = RestClients.build(JumioApis.Workflow.class, endpoints.accountUrl(), config);
        this.retrieval = RestClients.build(JumioApis.Retrieval.class, endpoints.retrievalUrl(), config);
        this.accountErasure = RestClients.build(JumioApis.AccountErasure.class, endpoints.retrievalUrl(), config);
        this.http = http;
        this.tokens = tokens;
        this.config = config;
    }

    /**
     * Starts a workflow execution: POST for a new account, PUT when {@code accountId} names an existing one. Not
     * idempotent at Jumio, so a read timeout is not retried here: the request may have created a workflow already.
     */
    @Retry(maxRetries = 4, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public WorkflowStart startWorkflow(String accountId, AccountRequest request, Deadline deadline) {
        String op = accountId == null ? "account create" : "account update";
        JsonNode body;
        try {
            body = withAccessToken(op, deadline, bearer -> accountId == null
                    ? accounts.create(bearer, config.userAgent(), request)
                    : accounts.update(bearer, config.userAgent(), accountId, request));
        } catch (JumioCallFailure.Transient e) {
            if (e.maybeProcessed() && e.status() == 0) {
                throw new JumioCallFailure.GiveUp(op, 0, null,
                        "no answer; not repeated, as Jumio may have started the workflow");
            }
            throw e;
        }
        return parseStart(op, body);
    }

    @Retry(maxRetries = 4, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public void uploadPreparedData(String preparedDataUrl, String workflowToken, JsonNode preparedData,
            Deadline deadline) {
        http.exchange("prepared data upload", deadline,
                () -> workflow.upload(preparedDataUrl, "Bearer " + workflowToken, config.userAgent(), preparedData));
    }

    @Retry(maxRetries = 4, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public void finalizeWorkflow(String workflowExecutionUrl, String workflowToken, Deadline deadline) {
        http.exchange("finalize", deadline,
                () -> workflow.finalizeWorkflow(workflowExecutionUrl, "Bearer " + workflowToken, config.userAgent(),
                        "{}"));
    }

    @Retry(maxRetries = 3, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public JsonNode workflowStatus(String accountId, String workflowExecutionId, Deadline deadline) {
        return withAccessToken("status retrieval", deadline,
                bearer -> retrieval.status(bearer, config.userAgent(), accountId, workflowExecutionId));
    }

    /** The full details, which can hold personal data: callers keep only the decision summary. */
    @Retry(maxRetries = 3, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public JsonNode workflowDetails(String accountId, String workflowExecutionId, Deadline deadline) {
        return withAccessToken("details retrieval", deadline,
                bearer -> retrieval.details(bearer, config.userAgent(), accountId, workflowExecutionId));
    }

    /**
     * Deletes one workflow execution and its data. Deleting is idempotent, so unlike the account call a timeout is
     * retried too.
     *
     * @return false when Jumio no longer has it (404)
     */
    @Retry(maxRetries = 3, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public boolean deleteWorkflow(String accountId, String workflowExecutionId, Deadline deadline) {
        return gone(() -> withAccessToken("workflow deletion", deadline,
                bearer -> retrieval.delete(bearer, config.userAgent(), accountId, workflowExecutionId)));
    }

    /**
     * Deletes a Jumio account with every workflow execution under it.
     *
     * @return false when Jumio no longer has it (404)
     */
    @Retry(maxRetries = 3, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public boolean deleteAccount(String accountId, Deadline deadline) {
        return gone(() -> withAccessToken("account deletion", deadline,
                bearer -> accountErasure.delete(bearer, config.userAgent(), accountId)));
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

    private JsonNode withAccessToken(String op, Deadline deadline, Function<String, Uni<Response>> call) {
        String bearer = tokens.bearer(deadline);
        try {
            return http.exchange(op, deadline, () -> call.apply(bearer));
        } catch (JumioCallFailure.Rejected e) {
            if (e.status() != 401) {
                throw e;
            }
            tokens.invalidate(bearer);
            String fresh = tokens.bearer(deadline);
            return http.exchange(op, deadline, () -> call.apply(fresh));
        }
    }

    private static WorkflowStart parseStart(String op, JsonNode body) {
        String accountId = body.path("account").path("id").asText(null);
        JsonNode execution = body.path("workflowExecution");
        JsonNode api = null;
        for (JsonNode credential : execution.path("credentials")) {
            if ("DATA".equals(credential.path("category").asText()) || api == null) {
                api = credential.path("api");
            }
        }
        String wx = execution.path("id").asText(null);
        String upload = api == null ? null : api.path("parts").path("prepared_data").asText(null);
        String finalizeUrl = api == null ? null : api.path("workflowExecution").asText(null);
        String token = api == null ? null : api.path("token").asText(null);
        if (accountId == null || wx == null || upload == null || finalizeUrl == null || token == null) {
            // 200 without what the next steps need: nothing useful to retry with.
            throw new JumioCallFailure.Rejected(op, 200, "response lacks account, workflow or credential data");
        }
        return new WorkflowStart(accountId, wx, upload, finalizeUrl, token);
    }
}
