package io.jumiorisk.sim;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.sim.Http.ApiException;
import io.jumiorisk.sim.Http.Req;
import io.jumiorisk.sim.Http.Response;
import io.jumiorisk.sim.Tenant.WorkflowToken;

/**
 * api.{region}.jumio.ai: the prepared-data upload, which only the credential's api.token may make (also at the
 * shorter URL without the workflow segment, seen in recorded real answers), and the finalize that starts processing,
 * which takes the api.token or an OAuth token. The first finalize fixes the outcome and schedules the callback. Jumio
 * does not document what a repeated finalize or an upload after finalize answers: by default a repeated finalize
 * answers 200 and changes nothing, an upload after finalize 400; settings choose other answers.
 */
final class ApiHost {

    private static final String PD_FORBIDDEN = "<>\"/;%|";
    private static final List<String> PD_CHECKED_FIELDS = List.of("firstName", "lastName", "middleName",
            "paternalSurname", "maternalSurname", "email", "phoneNumber");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");

    private final Tenant tenant;
    private final AuthHost auth;
    private final Links links;
    private final Callbacks callbacks;

    ApiHost(Tenant tenant, AuthHost auth, Links links, Callbacks callbacks) {
        this.tenant = tenant;
        this.auth = auth;
        this.links = links;
        this.callbacks = callbacks;
    }

    void routes(Router router) {
        String account = "/api/api/v1/accounts/" + Router.ID;
        String workflow = account + "/workflow-executions/" + Router.ID;
        String preparedData = "/credentials/" + Router.ID + "/parts/PREPARED_DATA";
        router.at(workflow + preparedData).on("POST", Endpoint.UPLOAD, this::upload);
        router.at(account + preparedData).on("POST", Endpoint.UPLOAD, this::uploadByCredential);
        router.at(workflow).on("PUT", Endpoint.FINALIZE, this::finalizeWorkflow);
    }

    /** The bearer of a request: a workflow's api.token (or null), and whether it is a valid OAuth token. */
    private record Caller(WorkflowToken workflowToken, boolean oauth) {
    }

    private Caller caller(Req r) {
        if (r.forceUnauthorized()) {
            throw Http.unauthorized();
        }
        String t = r.bearer();
        return new Caller(tenant.workflowToken(t), auth.isValid(t));
    }

    private static ApiException notThisWorkflowsToken() {
        return new ApiException(403, "The token does not belong to this workflow execution");
    }

    private Response upload(Req r) {
        Caller caller = admitUpload(r);
        Workflow wf = tenant.find(r.param(0), r.param(1));
        if (!wf.credentialId.equals(r.param(2))) {
            throw new ApiException(404, "Credential " + r.param(2) + " not found");
        }
        return upload(r, caller, wf);
    }

    /** {@code .../accounts/{a}/credentials/{c}/parts/PREPARED_DATA}: the credential names the workflow. */
    private Response uploadByCredential(Req r) {
        Caller caller = admitUpload(r);
        return upload(r, caller, tenant.findByCredential(r.param(0), r.param(1)));
    }

    private Caller admitUpload(Req r) {
        Caller caller = caller(r);
        if (caller.workflowToken() == null && !caller.oauth()) {
            throw Http.unauthorized();
        }
        return caller;
    }

    private Response upload(Req r, Caller caller, Workflow wf) {
        WorkflowToken wt = caller.workflowToken();
        if (wt == null) {
            throw new ApiException(403, "Prepared data must be uploaded with the credential's api.token");
        }
        if (!wt.workflowId().equals(wf.id)) {
            throw notThisWorkflowsToken();
        }
        long now = System.currentTimeMillis();
        if (now >= wt.expiresAt()) {
            throw Http.unauthorized();
        }
        Http.requireJsonContentType(r);
        ObjectNode pd = Http.parseJsonObject(r.body());
        validatePreparedData(pd);
        String st = wf.status(now);
        if (!st.equals("INITIATED")) {
            int answer = wf.finalizedAt != 0 ? tenant.cfg().uploadAfterFinalizeStatus() : 400;
            if (answer != 200) {
                throw new ApiException(answer,
                        "Workflow execution is " + st + "; prepared data can no longer be uploaded");
            }
        } else {
            wf.upload(pd);
        }
        ObjectNode n = wf.receipt(now);
        ObjectNode api = n.putObject("api");
        api.put("token", wf.apiToken);
        api.putObject("parts");
        api.put("workflowExecution", links.finalizeLink(wf));
        return Http.json(200, n);
    }

    private static void validatePreparedData(ObjectNode pd) {
        for (String f : PD_CHECKED_FIELDS) {
            JsonNode v = pd.get(f);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isTextual()) {
                throw Http.bad(f + " must be a string");
            }
            for (char ch : v.asText().toCharArray()) {
                if (PD_FORBIDDEN.indexOf(ch) >= 0) {
                    throw Http.bad(f + " contains a forbidden character '" + ch + "'");
                }
            }
        }
        JsonNode phone = pd.get("phoneNumber");
        if (phone != null && !phone.isNull() && !E164.matcher(phone.asText()).matches()) {
            throw Http.bad("phoneNumber must be in E.164 format (e.g. +14155550123)");
        }
        JsonNode dob = pd.get("dateOfBirth");
        if (dob != null && !dob.isNull()) {
            if (!dob.isTextual() || !DATE.matcher(dob.asText()).matches()) {
                throw Http.bad("dateOfBirth must be YYYY-MM-DD");
            }
            try {
                LocalDate.parse(dob.asText());
            } catch (DateTimeParseException e) {
                throw Http.bad("dateOfBirth must be YYYY-MM-DD");
            }
        }
    }

    private Response finalizeWorkflow(Req r) {
        Caller caller = caller(r);
        WorkflowToken wt = caller.workflowToken();
        long now = System.currentTimeMillis();
        if (!caller.oauth() && (wt == null || now >= wt.expiresAt())) {
            throw Http.unauthorized();
        }
        Workflow wf = tenant.find(r.param(0), r.param(1));
        if (!caller.oauth() && !wt.workflowId().equals(wf.id)) {
            throw notThisWorkflowsToken();
        }
        if (r.body().length > 0 && !r.bodyText().isBlank()) {
            Http.parseJsonObject(r.body());
        }
        SimulatorConfig c = tenant.cfg();
        String terminal = c.callbackStatus();
        long processing = c.processingDelayMillis();
        synchronized (wf) {
            if (wf.finalizedAt != 0) {
                return repeatedFinalize(wf, c, now);
            }
            String st = wf.status(now);
            if (wf.preparedData() == null) {
                throw Http.bad("Prepared data must be uploaded before finalizing the workflow execution");
            }
            if (Workflow.EXPIRED_STATUSES.contains(st)) {
                throw Http.bad("Workflow execution is " + st);
            }
            wf.markFinalized(now, processing, terminal, tenant.decideOutcome(wf.preparedData()));
        }
        callbacks.schedule(wf, terminal, processing + c.callbackDelayMillis());
        return Http.json(200, wf.receipt(now));
    }

    /** The receipt, nothing changed; or the error that {@code repeatFinalizeStatus} asks for. */
    private static Response repeatedFinalize(Workflow wf, SimulatorConfig c, long now) {
        if (c.repeatFinalizeStatus() != 200) {
            throw new ApiException(c.repeatFinalizeStatus(),
                    "Workflow execution " + wf.id + " is already finalized (" + wf.status(now) + ")");
        }
        return Http.json(200, wf.receipt(now));
    }
}
