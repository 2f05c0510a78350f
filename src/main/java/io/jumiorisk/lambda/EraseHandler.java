package io.jumiorisk.lambda;

import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.check.CheckEraser;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.jumio.JumioConfig;

/**
 * {@code erase}: {@code DELETE /checks/{checkId}[?scope=account]} through API Gateway, or a direct invocation with
 * {@code {"checkId": "...", "scope": "workflow"|"account"}} from Step Functions. Answers the erased check's tombstone.
 * A function of its own, so that only its role may delete, here and (through the credentials' permission) at Jumio.
 */
@Named("erase")
public class EraseHandler implements RequestHandler<JsonNode, Object> {
    private final CheckEraser eraser;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final JumioConfig config;

    public EraseHandler(CheckEraser eraser, Problems problems, ObjectMapper mapper, JumioConfig config) {
        this.eraser = eraser;
        this.problems = problems;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        if (HttpApiEvent.matches(event)) {
            return http(mapper.convertValue(event, HttpApiEvent.class), context);
        }
        try (Invocation invocation = Invocation.begin(context, null, config, "erase")) {
            String checkId = RetrieveHandler.directCheckId(event);
            JsonNode scope = event.get("scope");
            if (scope != null && !scope.isNull() && !scope.isTextual()) {
                throw InvalidRequest.of("scope", "must be 'workflow' or 'account'");
            }
            CheckEraser.Scope parsed = CheckEraser.Scope.parse(scope == null ? null : scope.textValue());
            return Failures.storeGuarded(() -> eraser.erase(checkId, parsed, invocation.deadline()));
        }
    }

    private HttpApiResponse http(HttpApiEvent event, Context context) {
        try (Invocation invocation = Invocation.begin(context, event.requestId(), config, "erase")) {
            HttpApiResponse off = problems.offCheckRoute(event, "DELETE");
            if (off != null) {
                return off;
            }
            String checkId = event.checkId();
            return problems.answer("erase", event.checkInstance(), () -> {
                CheckEraser.Scope scope = CheckEraser.Scope.parse(event.query("scope"));
                CheckView erased = Failures.storeGuarded(() -> eraser.erase(checkId, scope, invocation.deadline()));
                return HttpApiResponse.json(200, mapper.writeValueAsString(erased), "application/json");
            });
        }
    }
}
