package io.jumiorisk.lambda;

import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.check.CheckEraser;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.errors.InvalidRequest;

/**
 * {@code erase}: {@code DELETE /checks/{checkId}[?scope=account]} through API Gateway, or a direct invocation with
 * {@code {"checkId": "...", "scope": "workflow"|"account"}} from Step Functions. Answers the erased check's tombstone.
 * A function of its own, so that only its role may delete, here and (through the credentials' permission) at Jumio.
 */
@Named("erase")
public class EraseHandler implements RequestHandler<JsonNode, Object> {
    private static final Routes ROUTES = Routes.of(new Route("DELETE", "/checks/{checkId}"));
    private static final String SCOPE_RULE = "must be 'workflow' or 'account'";

    private final Entry entry;
    private final CheckEraser eraser;

    public EraseHandler(Entry entry, CheckEraser eraser) {
        this.entry = entry;
        this.eraser = eraser;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        return entry.dispatch("erase", ROUTES, event, context,
                (route, http, invocation) -> entry.json(200, eraser.erase(route.param("checkId"),
                        scope(http.query("scope")), invocation.deadline())),
                (payload, invocation) -> eraser.erase(Payloads.requiredText(payload, "checkId"),
                        scope(Payloads.optionalText(payload, "scope", SCOPE_RULE)), invocation.deadline()));
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
