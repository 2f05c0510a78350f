package io.jumiorisk.lambda;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.errors.ProductError;
import io.jumiorisk.ops.Metrics;

/**
 * The skeleton every function shares. A function is invoked either through API Gateway (an HTTP API event) or
 * directly (a Step Functions task, the console); this tells the two apart, opens the {@link Invocation}, guards the
 * routes, and turns failures into what each caller expects: problem details over HTTP, and for a direct caller a
 * Lambda error whose {@code errorType} is the {@link ProductError}'s class.
 */
@ApplicationScoped
public class Entry {
    private static final Logger LOG = Logger.getLogger(Entry.class);

    private final Problems problems;
    private final ObjectMapper mapper;
    private final FunctionsConfig config;
    private final Metrics metrics;

    public Entry(Problems problems, ObjectMapper mapper, FunctionsConfig config, Metrics metrics) {
        this.problems = problems;
        this.mapper = mapper;
        this.config = config;
        this.metrics = metrics;
    }

    /** A function's work for an HTTP request on one of its routes; it may throw what the flow throws. */
    @FunctionalInterface
    public interface HttpWork {
        HttpApiResponse serve(Routes.Match route, HttpApiEvent event, Invocation invocation) throws Exception;
    }

    /** A function's work for a direct invocation: its answer, or a {@link ProductError} for a Lambda error. */
    @FunctionalInterface
    public interface DirectWork {
        Object serve(JsonNode payload, Invocation invocation);
    }

    /**
     * Runs one invocation of {@code function}; its metrics are written when it ends, however it ends, before the
     * answer goes back to Lambda.
     */
    public Object dispatch(String function, Routes routes, JsonNode event, Context context, HttpWork http,
            DirectWork direct) {
        metrics.begin(function);
        try {
            return serve(function, routes, event, context, http, direct);
        } finally {
            metrics.flush();
        }
    }

    private Object serve(String function, Routes routes, JsonNode event, Context context, HttpWork http,
            DirectWork direct) {
        if (!HttpApiEvent.matches(event)) {
            try (Invocation invocation = Invocation.begin(context, null, function, config)) {
                return direct.serve(event, invocation);
            }
        }
        HttpApiEvent request = mapper.convertValue(event, HttpApiEvent.class);
        try (Invocation invocation = Invocation.begin(context, request.requestId(), function, config)) {
            Routes.Match route;
            try {
                route = routes.match(request);
            } catch (Refusal refusal) {
                return problems.refusal(refusal, null);
            }
            try {
                return http.serve(route, request, invocation);
            } catch (Refusal refusal) {
                return problems.refusal(refusal, route.instance());
            } catch (ProductError e) {
                LOG.infof("%s answered %d: %s", function, e.contract().httpStatus(), e.contract().code());
                return problems.of(e, route.instance());
            } catch (Exception e) {
                LOG.errorf("%s failed: %s", function, describe(e));
                return problems.internal(route.instance());
            }
        }
    }

    public HttpApiResponse json(int status, Object body) throws JsonProcessingException {
        return HttpApiResponse.json(status, mapper.writeValueAsString(body), "application/json");
    }

    /** Describes an unexpected failure for the log without repeating input that may hold personal data. */
    static String describe(Throwable e) {
        // Parser messages quote the input they choke on; everything else (SDK, our own code) names only ids.
        if (e instanceof JacksonException || e.getMessage() == null) {
            return e.getClass().getName();
        }
        String message = e.getMessage();
        return e.getClass().getName() + ": " + (message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }
}
