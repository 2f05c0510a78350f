package io.jumiorisk.lambda;

import java.util.Map;

import jakarta.inject.Named;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.callback.CallbackConfig;
import io.jumiorisk.callback.CallbackGate;
import io.jumiorisk.callback.CallbackIntake;
import io.jumiorisk.callback.CallbackNotice;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.ops.Metrics;

/**
 * {@code callback}: Jumio's webhook, {@code POST /callbacks/jumio?check=...&sig=...}, through API Gateway. The gate
 * admits only Jumio with the key of the check the URL names; the intake records the notice and fetches the decision;
 * Jumio gets its 200 once the notice is stored.
 */
@Named("callback")
public class CallbackHandler implements RequestHandler<JsonNode, Object> {
    private static final Logger LOG = Logger.getLogger(CallbackHandler.class);
    private static final Routes ROUTES = Routes.quiet(new Route("POST", "/callbacks/jumio"));

    private final Entry entry;
    private final CallbackGate gate;
    private final CallbackIntake intake;
    private final CallbackConfig config;
    private final ObjectMapper mapper;
    private final Metrics metrics;

    public CallbackHandler(Entry entry, CallbackGate gate, CallbackIntake intake, CallbackConfig config,
            ObjectMapper mapper, Metrics metrics) {
        this.entry = entry;
        this.gate = gate;
        this.intake = intake;
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    @Override
    public Object handleRequest(JsonNode event, Context context) {
        return entry.dispatch("callback", ROUTES, event, context, this::http, (payload, invocation) -> {
            // Only API Gateway may deliver callbacks; a direct invocation is a wiring mistake.
            throw InvalidRequest.of("event", "the callback function takes API Gateway HTTP API events only");
        });
    }

    private HttpApiResponse http(Routes.Match route, HttpApiEvent event, Invocation invocation) throws Exception {
        String checkId = event.query("check");
        CallbackGate.Verdict verdict = gate.admit(event.sourceIp(), checkId, event.query("sig"));
        if (verdict != CallbackGate.Verdict.ADMITTED) {
            metrics.callbackRefused(verdict.name());
            throw new Refusal(verdict.httpStatus, null, false, null);
        }
        // Any Content-Type: Jumio advises to take every authentic callback; the body must still be Jumio's JSON.
        CallbackNotice notice;
        try {
            notice = CallbackNotice.parse(Payloads.bytes(event, config.maxBodyBytes(), 400, "The body is too large"),
                    mapper);
        } catch (InvalidRequest | Refusal e) {
            metrics.callbackRefused("BAD_REQUEST");
            throw e;
        }
        MDC.put("workflowExecutionId", notice.workflowExecutionId());
        CallbackIntake.Outcome outcome;
        try {
            outcome = intake.accept(notice, checkId, invocation.deadline().within(config.fetchBudget()));
        } catch (RuntimeException e) {
            LOG.errorf("callback not recorded: %s", Entry.describe(e));
            outcome = CallbackIntake.Outcome.NOT_RECORDED;
        }
        metrics.callbackAnswered(outcome.name());
        if (outcome == CallbackIntake.Outcome.REFUSED) {
            throw new Refusal(CallbackGate.Verdict.KEY_MISSING_OR_WRONG.httpStatus, null, false, null);
        }
        if (outcome == CallbackIntake.Outcome.NOT_RECORDED) {
            // A 5xx makes Jumio (or whoever retries) deliver it again.
            throw Refusal.unavailable("The callback was not recorded; deliver it again");
        }
        LOG.infof("callback answered 200: %s", outcome);
        return entry.json(200, Map.of("status", outcome.name()));
    }
}
