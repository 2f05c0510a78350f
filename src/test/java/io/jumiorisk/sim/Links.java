package io.jumiorisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where each simulated Jumio host lives (one path prefix per host on one local server), and the links that Jumio's
 * answers and callbacks carry.
 */
final class Links {

    private final Tenant tenant;
    private volatile String baseUrl;

    Links(Tenant tenant) {
        this.tenant = tenant;
    }

    void serveAt(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    boolean started() {
        return baseUrl != null;
    }

    String base() {
        if (baseUrl == null) {
            throw new IllegalStateException("not started");
        }
        return baseUrl;
    }

    String auth() {
        return base() + "/auth";
    }

    String account() {
        return base() + "/account";
    }

    String api() {
        return base() + "/api";
    }

    String retrieval() {
        return base() + "/retrieval";
    }

    String status() {
        return base() + "/status";
    }

    /** Finalize URL on the api host (also the base of the upload URL). */
    String workflowApi(Workflow wf) {
        return api() + "/api/v1/accounts/" + wf.accountId + "/workflow-executions/" + wf.id;
    }

    String preparedDataUpload(Workflow wf) {
        return workflowApi(wf) + preparedDataPart(wf);
    }

    static String preparedDataPart(Workflow wf) {
        return "/credentials/" + wf.credentialId + "/parts/PREPARED_DATA";
    }

    String accountHref(Workflow wf) {
        return retrieval() + "/api/v1/accounts/" + wf.accountId;
    }

    /** Details URL on the retrieval host. */
    String workflowRetrieval(Workflow wf) {
        return accountHref(wf) + "/workflow-executions/" + wf.id;
    }

    /** {@code workflowExecution.href}: Jumio's docs show it with and without the account segment. */
    String workflowHref(Workflow wf) {
        return tenant.cfg().shortWorkflowHrefs()
                ? retrieval() + "/api/v1/workflow-executions/" + wf.id
                : workflowRetrieval(wf);
    }

    /** {@code "account": {id, href}} of status answers and callbacks. */
    void putAccount(ObjectNode parent, Workflow wf) {
        ObjectNode a = parent.putObject("account");
        a.put("id", wf.accountId);
        a.put("href", accountHref(wf));
    }

    /** {@code "workflowExecution": {id, href, definitionKey, status}} of status answers and callbacks. */
    void putWorkflowExecution(ObjectNode parent, Workflow wf, String status) {
        ObjectNode we = parent.putObject("workflowExecution");
        we.put("id", wf.id);
        we.put("href", workflowHref(wf));
        we.put("definitionKey", wf.definitionKey);
        we.put("status", status);
    }
}
