package io.jumiorisk.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Req;
import io.jumiorisk.sim.Http.Response;

/**
 * retrieval.{region}.jumio.ai: a workflow execution's status and details, and the deletion of a workflow execution or
 * a whole account. All of them need an OAuth token with the "retrieve &amp; delete" permission and share one rate
 * limit.
 */
final class RetrievalHost {

    private final Tenant tenant;
    private final AuthHost auth;
    private final Links links;

    RetrievalHost(Tenant tenant, AuthHost auth, Links links) {
        this.tenant = tenant;
        this.auth = auth;
        this.links = links;
    }

    void routes(Router router) {
        String account = "/retrieval/api/v1/accounts/" + Router.ID;
        String workflow = account + "/workflow-executions/" + Router.ID;
        router.at(workflow + "/status").on("GET", Endpoint.STATUS, this::status);
        router.at(workflow).on("GET", Endpoint.DETAILS, this::details).on("DELETE", Endpoint.DELETE,
                this::deleteWorkflow);
        router.at(account).on("DELETE", Endpoint.DELETE, this::deleteAccount);
    }

    /** Retrieval and deletion need the client's "retrieve &amp; delete" permission, each client as configured. */
    private void admit(Req r) {
        String client = auth.requireOAuth(r);
        boolean granted = client.equals(tenant.cfg().eraserClientId())
                ? tenant.cfg().eraserPermission()
                : tenant.cfg().retrieveAndDeletePermission();
        if (!granted) {
            throw new ApiException(403, "The OAuth2 client lacks the 'retrieve & delete' permission");
        }
        tenant.retrievalLimiter().acquire();
    }

    private Response status(Req r) {
        admit(r);
        Workflow wf = tenant.find(r.param(0), r.param(1));
        String st = wf.status(System.currentTimeMillis());
        ObjectNode n = Http.JSON.createObjectNode();
        links.putAccount(n, wf);
        links.putWorkflowExecution(n, wf, st);
        return Http.json(200, n);
    }

    private Response deleteWorkflow(Req r) {
        admit(r);
        tenant.deleteWorkflow(tenant.find(r.param(0), r.param(1)));
        return Response.empty(200);
    }

    private Response deleteAccount(Req r) {
        admit(r);
        tenant.deleteAccount(r.param(0));
        return Response.empty(200);
    }

    // ------------------------------------------------------------------------------------------------ details

    /**
     * While a finalized workflow is being processed (ACQUIRED) its details are not there yet (404), as Jumio's docs
     * say they may not be. Those of a workflow that is not finalized (INITIATED) or that expired come back, as
     * recorded real answers show for SESSION_EXPIRED.
     */
    private Response details(Req r) {
        admit(r);
        Workflow wf = tenant.find(r.param(0), r.param(1));
        String st = wf.status(System.currentTimeMillis());
        if (st.equals("ACQUIRED")) {
            throw new ApiException(404,
                    "Workflow execution " + wf.id + " is " + st + "; details are not available yet");
        }
        return Http.json(200, detailsJson(wf, st));
    }

    private ObjectNode detailsJson(Workflow wf, String st) {
        ObjectNode n = Http.JSON.createObjectNode();
        ObjectNode w = n.putObject("workflow");
        w.put("id", wf.id);
        w.put("status", st);
        w.put("definitionKey", wf.definitionKey);
        if (wf.userReference != null) {
            w.put("userReference", wf.userReference);
        }
        w.put("customerInternalReference", wf.customerInternalReference);
        n.putObject("account").put("id", wf.accountId);
        n.put("createdAt", Http.timestamp(wf.createdAt));
        boolean processed = st.equals("PROCESSED");
        long started = wf.finalizedAt != 0 ? wf.finalizedAt : wf.createdAt;
        n.put("startedAt", Http.timestamp(started));
        if (!st.equals("INITIATED")) {
            long completed = wf.completedAt();
            n.put("completedAt", Http.timestamp(completed == 0 ? System.currentTimeMillis() : completed));
        }
        String wfBase = links.workflowRetrieval(wf);
        ObjectNode cred = n.putArray("credentials").addObject();
        cred.put("id", wf.credentialId);
        cred.put("category", "DATA");
        if (wf.preparedData() != null) {
            ObjectNode part = cred.putArray("parts").addObject();
            part.put("classifier", "PREPARED_DATA");
            part.put("href", wfBase + Links.preparedDataPart(wf));
        } else {
            cred.putArray("parts");
        }
        Outcome o = processed && wf.outcome != null ? wf.outcome : unfinished(st);
        ObjectNode decision = n.putObject("decision");
        decision.put("type", o.decisionType());
        decision.putObject("details").put("label", o.label());
        decision.putObject("risk").put("score", o.score());
        n.putObject("steps").put("href", wfBase + "/steps");
        ObjectNode caps = n.putObject("capabilities");
        if (!st.equals("INITIATED")) {
            String cap = capabilityName(wf.definitionKey);
            ObjectNode c = caps.putArray(cap).addObject();
            c.put("id", wf.capabilityId);
            ObjectNode cc = c.putArray("credentials").addObject();
            cc.put("id", wf.credentialId);
            cc.put("category", "DATA");
            ObjectNode cd = c.putObject("decision");
            if (processed) {
                cd.put("type", o.decisionType());
                cd.putObject("details").put("label", o.capabilityLabel());
                c.set("data", capabilityData(cap, wf.preparedData(), o));
            } else {
                cd.put("type", "NOT_EXECUTED");
                cd.putObject("details").put("label", "NOT_EXECUTED");
            }
        }
        return n;
    }

    /**
     * The decision of a workflow that was not processed: REJECTED with score 100 for SESSION_EXPIRED, as a recorded
     * real answer shows; NOT_EXECUTED with score -1 otherwise (TOKEN_EXPIRED, INITIATED). The label is the status.
     */
    private static Outcome unfinished(String st) {
        return st.equals("SESSION_EXPIRED") ? new Outcome("REJECTED", st, 100) : new Outcome("NOT_EXECUTED", st, -1);
    }

    /** The workflow definition keys seen in Jumio's docs; any other key gets a generic capability. */
    private static String capabilityName(String key) {
        return switch (key) {
            case "10066" -> "emailVerification";
            case "10065" -> "phoneVerification";
            case "10118" -> "geoIpVerification";
            case "10148" -> "ekyc";
            case "10010" -> "watchlistScreening";
            default -> "riskSignal";
        };
    }

    /**
     * Capability data carries personal data from the upload, as Jumio's documentation says it can, so that tests can
     * check that the product does not keep it.
     */
    private static ObjectNode capabilityData(String cap, JsonNode pd, Outcome o) {
        if (pd == null) {
            pd = Http.JSON.createObjectNode();
        }
        ObjectNode d = Http.JSON.createObjectNode();
        boolean rejected = o.decisionType().equals("REJECTED");
        String risk = switch (o.decisionType()) {
            case "REJECTED" -> "HIGH";
            case "WARNING" -> "MEDIUM";
            case "NOT_EXECUTED" -> "UNKNOWN";
            default -> "LOW";
        };
        String advice = switch (o.decisionType()) {
            case "REJECTED" -> "REJECT";
            case "WARNING" -> "DATA_REVIEW";
            case "NOT_EXECUTED" -> "NOT_AVAILABLE";
            default -> "ACCEPT";
        };
        switch (cap) {
            case "emailVerification" -> {
                copy(pd, d, "email");
                d.put("emailVerificationStatus", rejected ? "EmailInexistent" : "EmailExists");
                d.put("emailExists", !rejected);
                d.put("domainExists", true);
                d.put("domainRiskLevel", risk);
                d.put("advice", advice);
            }
            case "phoneVerification" -> {
                copy(pd, d, "phoneNumber");
                d.put("phoneNumberValid", !rejected);
                d.put("lineType", "MOBILE");
                d.put("carrier", "Simulated Carrier");
                d.put("riskLevel", risk);
                d.put("advice", advice);
            }
            case "geoIpVerification" -> {
                copy(pd, d, "ipAddress");
                d.put("country", "USA");
                d.put("city", "San Francisco");
                d.put("isProxy", rejected);
                d.put("isVpn", false);
                d.put("riskLevel", risk);
            }
            case "ekyc" -> {
                copy(pd, d, "firstName", "lastName", "dateOfBirth", "address", "id");
                ObjectNode match = d.putObject("matchResult");
                String m = rejected ? "NO_MATCH" : "MATCH";
                match.put("name", m);
                match.put("dateOfBirth", m);
                match.put("address", m);
                d.put("searchStatus", "DONE");
            }
            case "watchlistScreening" -> {
                copy(pd, d, "firstName", "lastName", "dateOfBirth", "nationality");
                d.put("searchId", Http.uuid());
                d.put("searchStatus", "DONE");
                d.put("searchResults", rejected ? 1 : 0);
            }
            default -> {
                d.set("input", pd.deepCopy());
                d.put("riskLevel", risk);
                d.put("advice", advice);
            }
        }
        return d;
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            JsonNode v = from.get(field);
            if (v != null && !v.isNull()) {
                to.set(field, v.deepCopy());
            }
        }
    }
}
