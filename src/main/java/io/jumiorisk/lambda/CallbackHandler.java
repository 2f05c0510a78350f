package io.jumiorisk.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.inject.Named;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.callback.CallbackConfig;
import io.jumiorisk.callback.CallbackIntake;
import io.jumiorisk.callback.CallbackNotice;
import io.jumiorisk.callback.CallbackToken;
import io.jumiorisk.callback.SourceAllowList;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.jumio.JumioConfig;

/**
 * {@code callback}: Jumio's webhook, {@code POST /callbacks/jumio?token=...}, through API Gateway. Jumio does not sign
 * callbacks, so a request must come from an allowed source address and carry the deployment's token; anything else
 * is refused before the body is even read, and nothing is written.
 */
@Named("callback")
public class CallbackHandler implements RequestHandler<JsonNode, HttpApiResponse> {
    private static final Logger LOG = Logger.getLogger(CallbackHandler.class);
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{8,64}");

    private final CallbackIntake intake;
    private final CallbackToken token;
    private final SourceAllowList sources;
    private final CallbackConfig callbackConfig;
    private final Problems problems;
    private final ObjectMapper mapper;
    private final JumioConfig config;

    public CallbackHandler(CallbackIntake intake, CallbackToken token, SourceAllowList sources,
            CallbackConfig callbackConfig, Problems problems, ObjectMapper mapper, JumioConfig config) {
        this.intake = intake;
        this.token = token;
        this.sources = sources;
        this.callbackConfig = callbackConfig;
        this.problems = problems;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public HttpApiResponse handleRequest(JsonNode raw, Context context) {
        if (!HttpApiEvent.matches(raw)) {
            // Only API Gateway may deliver callbacks; a direct invocation is a wiring mistake.
            throw InvalidRequest.of("event", "the callback function takes API Gateway HTTP API events only");
        }
        HttpApiEvent event = mapper.convertValue(raw, HttpApiEvent.class);
        try (Invocation invocation = Invocation.begin(context, event.requestId(), config, "callback")) {
            String instance = "/callbacks/jumio";
            if (!"/callbacks/jumio".equals(event.rawPath())) {
                return problems.plain(404, null, null);
            }
            if (!"POST".equals(event.method())) {
                return problems.plain(405, null, null).withHeader("allow", "POST");
            }
            // Refusals say nothing about which guard failed.
            if (!sources.allows(event.sourceIp())) {
                LOG.warn("callback refused: source not allowed");
                return problems.plain(403, null, null);
            }
            if (!token.matches(event.query("token"))) {
                LOG.warn("callback refused: token missing or wrong");
                return problems.plain(401, null, null);
            }
            String contentType = event.header("content-type");
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return problems.plain(400, "Callbacks must be application/json", instance);
            }
            if (event.body() != null && event.body().length() > callbackConfig.maxBodyBytes() * 4 / 3 + 4) {
                return problems.plain(400, "The body is too large", instance);
            }
            byte[] body;
            try {
                body = event.bodyBytes();
            } catch (IllegalArgumentException e) {
                return problems.plain(400, "The body is not valid base64", instance);
            }
            if (body.length > callbackConfig.maxBodyBytes()) {
                return problems.plain(400, "The body is too large", instance);
            }
            CallbackNotice notice;
            try {
                notice = parse(body);
            } catch (InvalidRequest e) {
                return problems.of(e, instance);
            }
            MDC.put("workflowExecutionId", notice.workflowExecutionId());
            try {
                CallbackIntake.Outcome outcome = intake.accept(notice,
                        invocation.deadline().within(callbackConfig.fetchBudget()));
                LOG.infof("callback answered 200: %s", outcome);
                return HttpApiResponse.json(200, "{\"status\":\"" + outcome + "\"}", "application/json");
            } catch (RuntimeException e) {
                // Not recorded: a 5xx makes Jumio (or whoever retries) deliver it again.
                LOG.errorf("callback not recorded: %s", Failures.describe(e));
                return problems.plain(503, "The callback was not recorded; deliver it again", instance);
            }
        }
    }

    private CallbackNotice parse(byte[] body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw InvalidRequest.of("body", "is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw InvalidRequest.of("body", "must be a JSON object");
        }
        List<InvalidRequest.FieldError> errors = new ArrayList<>();
        String wx = id(json.path("workflowExecution").path("id"), "workflowExecution.id", errors);
        String account = id(json.path("account").path("id"), "account.id", errors);
        JsonNode status = json.path("workflowExecution").path("status");
        if (!status.isTextual() || !CallbackNotice.STATUSES.contains(status.asText())) {
            errors.add(new InvalidRequest.FieldError("workflowExecution.status",
                    "must be one of " + String.join(", ", new TreeSet<>(CallbackNotice.STATUSES))));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return new CallbackNotice(account, wx, status.asText());
    }

    private static String id(JsonNode node, String field, List<InvalidRequest.FieldError> errors) {
        if (!node.isTextual() || !ID.matcher(node.asText()).matches()) {
            errors.add(new InvalidRequest.FieldError(field, "is required and must be a Jumio id"));
            return null;
        }
        return node.asText();
    }
}
