package io.jumiorisk.jumio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.Deadline;
import io.jumiorisk.ops.Metrics;
import io.jumiorisk.ops.Tracing;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * Runs one HTTP exchange with Jumio inside the invocation's deadline and turns the outcome into a typed result. Every
 * exchange is counted and timed ({@link Metrics}) and, in a traced invocation, an X-Ray subsegment ({@link Tracing}).
 */
@ApplicationScoped
public class JumioHttp {
    private static final Logger LOG = Logger.getLogger(JumioHttp.class);
    private static final Duration MIN_CALL = Duration.ofMillis(250);

    private final JumioConfig config;
    private final ObjectMapper mapper;
    private final Metrics metrics;
    private final Tracing tracing;

    public JumioHttp(JumioConfig config, ObjectMapper mapper, Metrics metrics, Tracing tracing) {
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** The 2xx body, parsed; or a {@link JumioCallFailure} that says whether another try makes sense. */
    public JsonNode exchange(String operation, Deadline deadline, Supplier<Uni<Response>> call) {
        Duration budget = deadline.callBudget(config.callTimeout());
        if (budget.compareTo(MIN_CALL) < 0) {
            throw new JumioCallFailure.GiveUp(operation, 0, JumioCallFailure.NOT_SENT, null, false,
                    "no time left in this invocation");
        }
        long started = System.nanoTime();
        Tracing.Span span = tracing.jumio(operation);
        Response response;
        try {
            response = call.get().await().atMost(budget);
        } catch (TimeoutException e) {
            observe(operation, span, started, 0, "timeout");
            throw new JumioCallFailure.Transient(operation, 0, JumioCallFailure.NO_ANSWER, null, true, deadline, e);
        } catch (RuntimeException e) {
            boolean notSent = causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class)
                    || causedBy(e, NoRouteToHostException.class);
            String answer = notSent
                    ? JumioCallFailure.NOT_SENT
                    : timedOut(e) ? JumioCallFailure.NO_ANSWER : JumioCallFailure.CUT_ANSWER;
            observe(operation, span, started, 0, answer.equals(JumioCallFailure.NO_ANSWER) ? "timeout" : "network");
            throw new JumioCallFailure.Transient(operation, 0, answer, null, !notSent, deadline, e);
        }
        int status = response.getStatus();
        observe(operation, span, started, status, Metrics.resultClass(status));
        try {
            LOG.debugf("jumio %s -> %d in %d ms", operation, status, (System.nanoTime() - started) / 1_000_000);
            if (status >= 200 && status < 300) {
                String body = response.hasEntity() ? response.readEntity(String.class) : "";
                return body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
            }
            Long retryAfter = retryAfterMillis(response.getHeaderString("Retry-After"));
            if (status == 429 || status >= 500) {
                boolean maybeProcessed = status != 429;
                String answer = JumioCallFailure.httpAnswer(status);
                if (retryAfter != null && retryAfter > deadline.callMillisLeft()) {
                    throw new JumioCallFailure.GiveUp(operation, status, answer, retryAfter, maybeProcessed,
                            "Jumio asked for a pause longer than the time left");
                }
                throw new JumioCallFailure.Transient(operation, status, answer, retryAfter, maybeProcessed, deadline,
                        null);
            }
            throw new JumioCallFailure.Rejected(operation, status, problemTitle(response));
        } catch (IOException | ProcessingException e) {
            // The answer broke off, or its body is not what its status promised: Jumio may have acted.
            throw new JumioCallFailure.Transient(operation, status, JumioCallFailure.CUT_ANSWER, null, true, deadline,
                    e);
        } finally {
            response.close();
        }
    }

    /** Counts and times the exchange, and ends its subsegment; a failure here never fails the call. */
    private void observe(String operation, Tracing.Span span, long started, int status, String result) {
        try {
            span.end(status, result);
        } catch (RuntimeException e) {
            LOG.debugf("jumio %s subsegment not recorded: %s", operation, e.getClass().getName());
        }
        metrics.jumioCall(operation, result, (System.nanoTime() - started) / 1_000_000);
    }

    private String problemTitle(Response response) {
        try {
            if (!response.hasEntity()) {
                return null;
            }
            JsonNode body = mapper.readTree(response.readEntity(String.class));
            // Titles are Jumio's fixed phrases ("Unauthorized"); details can quote our input, so they stay out.
            JsonNode title = body.has("title") ? body.get("title") : body.get("error");
            return title == null || !title.isTextual() || title.asText().length() > 80 ? null : title.asText();
        } catch (Exception e) {
            return null;
        }
    }

    static Long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            // Capped before the multiplication, which would otherwise overflow into "no pause" for absurd values.
            return Math.min(Math.max(0, Long.parseLong(header.trim())), Long.MAX_VALUE / 1000) * 1000;
        } catch (NumberFormatException e) {
            try {
                long at = java.time.ZonedDateTime
                        .parse(header.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant().toEpochMilli();
                return Math.max(0, at - System.currentTimeMillis());
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /**
     * The client's own read timeout ended the wait (the socket's, Vert.x's or Netty's, by the name each gives it):
     * no answer came, as opposed to one that broke off.
     */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().endsWith("TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
