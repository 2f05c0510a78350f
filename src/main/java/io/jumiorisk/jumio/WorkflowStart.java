package io.jumiorisk.jumio;

/**
 * What an account call returns that the rest of the flow needs. {@code workflowToken} is a bearer credential for
 * this one workflow: it is kept only sealed (by
 * {@code keys.TokenSeal}) and only until finalize.
 */
public record WorkflowStart(String accountId, String workflowExecutionId, String preparedDataUrl,
        String workflowExecutionUrl, String workflowToken) {

    @Override
    public String toString() {
        return "WorkflowStart[accountId=" + accountId + ", workflowExecutionId=" + workflowExecutionId + "]";
    }
}
