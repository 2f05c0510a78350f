package io.jumiorisk.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where each simulated Jumio host lives (one path prefix per host on one local server), and the links that Jumio's
 * answers and callbacks carry. The upload and finalize links can be given a wrong shape ({@link LinkShape}); the ids
 * that only such a link names, and a second origin on loopback (the decoy), tell where a client followed one.
 */
final class Links {

    static final String OTHER_HOST = "https://evil.example.com";

    private final Tenant tenant;
    private volatile String baseUrl;
    private volatile String decoyUrl;
    /** Account and workflow ids that only a wrong link names. */
    private final Set<String> strayIds = ConcurrentHashMap.newKeySet();

    Links(Tenant tenant) {
        this.tenant = tenant;
    }

    void serveAt(String baseUrl, String decoyUrl) {
        this.baseUrl = baseUrl;
        this.decoyUrl = decoyUrl;
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

    /** The other origin on loopback that {@link LinkShape#OTHER_PORT} links lead to. */
    String decoy() {
        if (decoyUrl == null) {
            throw new IllegalStateException("not started");
        }
        return decoyUrl;
    }

    /** The upload URL ({@code parts.prepared_data}) of answers, in the shape the settings ask for. */
    String uploadLink(Workflow wf) {
        LinkShape shape = tenant.cfg().uploadLink();
        if (shape == LinkShape.NO_WORKFLOW_SEGMENT) {
            return api() + "/api/v1/accounts/" + wf.accountId + preparedDataPart(wf);
        }
        return link(shape, wf, preparedDataPart(wf));
    }

    /** The finalize URL ({@code api.workflowExecution}) of answers, in the shape the settings ask for. */
    String finalizeLink(Workflow wf) {
        return link(tenant.cfg().finalizeLink(), wf, "");
    }

    private String link(LinkShape shape, Workflow wf, String tail) {
        String account = shape == LinkShape.OTHER_ACCOUNT ? stray() : wf.accountId;
        String workflow = shape == LinkShape.OTHER_WORKFLOW ? stray() : wf.id;
        String path = "/api/v1/accounts/" + account + "/workflow-executions/" + workflow + tail;
        return switch (shape) {
            case OTHER_HOST -> OTHER_HOST + path;
            case OTHER_PORT -> decoy() + "/api" + path;
            case USER_INFO -> api().replaceFirst("://", "://user:pw@") + path;
            default -> api() + path;
        };
    }

    private String stray() {
        String id = Http.uuid();
        strayIds.add(id);
        return id;
    }

    /** Whether a path names an id that only a wrong link carried. */
    boolean namesStrayId(String path) {
        for (String segment : path.split("[/?]")) {
            if (strayIds.contains(segment)) {
                return true;
            }
        }
        return false;
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
