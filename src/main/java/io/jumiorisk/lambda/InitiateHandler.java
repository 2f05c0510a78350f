package io.jumiorisk.lambda;

import java.util.Set;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.check.CheckIds;
import io.jumiorisk.check.CheckRequest;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.errors.InvalidRequest;

/**
 * {@code initiate}: {@code POST /checks} through API Gateway, or a direct invocation (a Step Functions task) whose
 * payload is the same body plus an optional {@code taskToken} and an optional {@code checkId}: the id the state machine
 * chose for the check, which is then also its idempotency key, so that its later states need only that id. Direct
 * callers get the check view, or a Lambda error
 * whose {@code errorType} is one of the {@code io.jumiorisk.errors} classes.
 */
@Named("initiate")
public class InitiateHandler implements RequestHandler<JsonNode, Object> {
    private static final Logger LOG = Logger.getLogger(InitiateHandler.class);
    private static final Routes ROUTES = Routes.of(new Route("POST", "/checks"));
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final Entry entry;
    private final RequestParser parser;
    private final CheckStarter starter;
    private final ObjectMapper mapper;

    public InitiateHandler(Entry entry, RequestParser parser, CheckStarter starter, ObjectMapper mapper) {
        this.entry = entry;
        this.parser = parser;
        this.starter = starter;
        this.mapper = mapper;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        return entry.dispatch("initiate", ROUTES, event, context, this::http, this::direct);
    }

    private HttpApiResponse http(Routes.Match route, HttpApiEvent event, Invocation invocation) throws Exception {
        JsonNode body = Payloads.json(event, MAX_BODY_BYTES, mapper);
        String idempotencyKey = Payloads.header(event, "Idempotency-Key", 255);
        CheckView view = starter.start(parser.parse(body, Set.of()), idempotencyKey, null, invocation.deadline(),
                invocation.id(), null);
        return entry.json(202, view).withHeader("location", view.links().self());
    }

    private Object direct(JsonNode payload, Invocation invocation) {
        String taskToken = Payloads.optionalText(payload, "taskToken", "must be a non-empty string");
        if (taskToken != null && taskToken.isBlank()) {
            throw InvalidRequest.of("taskToken", "must be a non-empty string");
        }
        String checkId = Payloads.optionalText(payload, "checkId", "must be a check id (a lower-case UUID)");
        if (checkId != null) {
            CheckIds.validate(checkId);
        }
        CheckRequest request = parser.parse(payload, Set.of("taskToken", "checkId"));
        LOG.info("initiate invoked directly");
        return starter.start(request, null, taskToken, invocation.deadline(), invocation.id(), checkId);
    }
}
