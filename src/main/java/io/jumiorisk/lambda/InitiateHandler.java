package io.jumiorisk.lambda;

import java.util.Set;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.check.CheckRequest;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.jumio.JumioConfig;

/**
 * {@code initiate}: {@code POST /checks} through API Gateway, or a direct invocation (a Step Functions task) whose
 * payload is the same body plus an optional {@code taskToken}. Direct callers get the check view, or a Lambda error
 * whose {@code errorType} is one of the {@code io.jumiorisk.errors} classes.
 */
@Named("initiate")
public class InitiateHandler implements RequestHandler<JsonNode, Object> {
    private static final Logger LOG = Logger.getLogger(InitiateHandler.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final CheckStarter starter;
    private final RequestParser parser;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final JumioConfig config;

    public InitiateHandler(CheckStarter starter, RequestParser parser, Problems problems, ObjectMapper mapper,
            JumioConfig config) {
        this.starter = starter;
        this.parser = parser;
        this.problems = problems;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        if (HttpApiEvent.matches(event)) {
            return http(mapper.convertValue(event, HttpApiEvent.class), context);
        }
        try (Invocation invocation = Invocation.begin(context, null, config, "initiate")) {
            JsonNode taskToken = event == null ? null : event.get("taskToken");
            if (taskToken != null && !taskToken.isNull() && (!taskToken.isTextual() || taskToken.asText().isBlank())) {
                throw InvalidRequest.of("taskToken", "must be a non-empty string");
            }
            CheckRequest request = parser.parse(event, Set.of("taskToken"));
            LOG.info("initiate invoked directly");
            String token = taskToken == null || taskToken.isNull() ? null : taskToken.asText();
            return Failures
                    .storeGuarded(() -> starter.start(request, null, token, invocation.deadline(), invocation.id()));
        }
    }

    private HttpApiResponse http(HttpApiEvent event, Context context) {
        try (Invocation invocation = Invocation.begin(context, event.requestId(), config, "initiate")) {
            String instance = "/checks";
            return problems.answer("initiate", instance, () -> {
                if (!"/checks".equals(event.rawPath())) {
                    return problems.plain(404, "This function serves POST /checks only", instance);
                }
                if (!"POST".equals(event.method())) {
                    return problems.plain(405, "Use POST /checks", instance).withHeader("allow", "POST");
                }
                String contentType = event.header("content-type");
                if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
                    return problems.plain(415, "Send the request as application/json", instance);
                }
                byte[] body = event.bodyBytes();
                if (body.length > MAX_BODY_BYTES) {
                    return problems.plain(413, "The body is larger than " + MAX_BODY_BYTES + " bytes", instance);
                }
                JsonNode json;
                try {
                    json = body.length == 0 ? null : mapper.readTree(body);
                } catch (java.io.IOException e) {
                    throw InvalidRequest.of("body", "is not valid JSON");
                }
                String idempotencyKey = event.header("idempotency-key");
                if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
                    throw InvalidRequest.of("Idempotency-Key", "must be 1 to 255 characters long");
                }
                CheckRequest request = parser.parse(json, Set.of());
                CheckView view = Failures.storeGuarded(
                        () -> starter.start(request, idempotencyKey, null, invocation.deadline(), invocation.id()));
                return HttpApiResponse.json(202, mapper.writeValueAsString(view), "application/json")
                        .withHeader("location", view.links().self());
            });
        }
    }
}
