package io.jumiorisk.lambda;

import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.check.CheckEraser;
import io.jumiorisk.check.ErasureSweep;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.errors.InvalidRequest;

/**
 * {@code erase}: {@code DELETE /checks/{checkId}} (its workflow) and {@code DELETE /checks/{checkId}/account} (the
 * whole Jumio account) through API Gateway, or a direct invocation with
 * {@code {"checkId": "...", "scope": "workflow"|"account"}} from Step Functions, which answers the erased check's
 * tombstone; and {@code {"sweep": true}} from its schedule, which finishes the erasures Jumio has not confirmed yet and
 * deletes the orphans that callbacks found.
 * A function of its own, so that only its role may delete, here and (through the credentials' permission) at Jumio.
 */
@Named("erase")
public class EraseHandler implements RequestHandler<JsonNode, Object> {
    private static final Route CHECK = new Route("DELETE", "/checks/{checkId}");
    /** Erases every workflow of the Jumio account: a route of its own, so that IAM can grant it apart. */
    private static final Route ACCOUNT = new Route("DELETE", "/checks/{checkId}/account");
    private static final Routes ROUTES = Routes.of(CHECK, ACCOUNT);
    private static final String SCOPE_RULE = "must be 'workflow' or 'account'";

    private final Entry entry;
    private final CheckEraser eraser;
    private final ErasureSweep sweep;

    public EraseHandler(Entry entry, CheckEraser eraser, ErasureSweep sweep) {
        this.entry = entry;
        this.eraser = eraser;
        this.sweep = sweep;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        return entry.dispatch("erase", ROUTES, event, context,
                (route, http, invocation) -> entry.json(200, eraser.erase(route.param("checkId"), scope(route, http),
                        invocation.deadline())),
                (payload, invocation) -> payload != null && payload.path("sweep").asBoolean(false)
                        ? sweep.sweep(invocation.deadline())
                        : eraser.erase(Payloads.requiredText(payload, "checkId"),
                                scope(Payloads.optionalText(payload, "scope", SCOPE_RULE)), invocation.deadline()));
    }

    private static ErasureScope scope(Routes.Match route, HttpApiEvent event) {
        if (event.query("scope") != null) {
            // The old form could not be told apart from a plain erasure by IAM.
            throw InvalidRequest.of("scope", "is no longer taken: DELETE /checks/{checkId}/account erases the whole"
                    + " Jumio account");
        }
        return route.route() == ACCOUNT ? ErasureScope.ACCOUNT : ErasureScope.WORKFLOW;
    }

    /** The erasure's scope; the check's own workflow unless the caller names the account. */
    private static ErasureScope scope(String wire) {
        if (wire == null || wire.isEmpty()) {
            return ErasureScope.WORKFLOW;
        }
        ErasureScope scope = ErasureScope.fromWire(wire);
        if (scope == null) {
            throw InvalidRequest.of("scope", SCOPE_RULE);
        }
        return scope;
    }
}
