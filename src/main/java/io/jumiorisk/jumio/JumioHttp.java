package io.jumiorisk.jumio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.Deadline;
import io.jumiorisk.ops.Metrics;
import io.jumiorisk.ops.Tracing;

/**
 * Runs one HTTP exchange with Jumio inside the invocation's deadline and turns the outcome into a typed result. The
 * JDK's own HTTP client: no event loop and no thread pool to start, which a Lambda cold start would pay for, and it
 * never repeats a request that is not idempotent by itself, so whether an account request left stays ours to judge.
 * Every exchange is counted and timed ({@link Metrics}) and, in a traced invocation, an X-Ray subsegment
 * ({@link Tracing}).
 */
@ApplicationScoped
public class JumioHttp {
    private static final Logger LOG = Logger.getLogger(JumioHttp.class);
    private static final Duration MIN_CALL = Duration.ofMillis(250);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    static {
        // Shorter than the idle timeout of common load balancers (60 s), so that a pooled connection is dropped by us
        // before the server drops it under a request: such a request would fail after it left, an ambiguous answer.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "30");
        }
    }

    private final JumioConfig config;
    private final ObjectMapper mapper;
    private final String userAgent;
    private final HttpClient client;
    private final Metrics metrics;
    private final Tracing tracing;

    public JumioHttp(JumioConfig config, ObjectMapper mapper, JumioEndpoints endpoints, Metrics metrics,
            Tracing tracing) {
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
        this.tracing = tracing;
        this.userAgent = endpoints.userAgent();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                // A redirect would carry our bearer token to wherever it points.
                .followRedirects(HttpClient.Redirect.NEVER)
                // Answers are small and read in full: no need for a second thread to hand them over.
                .executor(Runnable::run)
                .build();
    }

    /** A request to {@code url}: the caller adds its method, body and credentials. */
    public static HttpRequest.Builder to(String url) {
        return HttpRequest.newBuilder(URI.create(url));
    }

    /** {@code base} and path segments, each segment encoded, so that an id cannot change the path. */
    public static String url(String base, String... segments) {
        StringBuilder url = new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        for (String segment : segments) {
            url.append('/').append(segment.startsWith("/") ? segment.substring(1) : encodeSegment(segment));
        }
        return url.toString();
    }

    /** A JSON body, written by the application's mapper. */
    public HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body as JSON", e);
        }
    }

    /** The 2xx body, parsed; or a {@link JumioCallFailure} that says whether another try makes sense. */
    public JsonNode exchange(String operation, Deadline deadline, HttpRequest.Builder request) {
        Duration budget = deadline.callBudget(config.callTimeout());
        if (budget.compareTo(MIN_CALL) < 0) {
            throw new JumioCallFailure.GiveUp(operation, 0, JumioCallFailure.NOT_SENT, null, false,
                    "no time left in this invocation");
        }
        long started = System.nanoTime();
        Tracing.Span span = tracing.jumio(operation);
        HttpResponse<byte[]> response;
        try {
            response = send(operation, deadline, request.timeout(budget)
                    .setHeader("User-Agent", userAgent).setHeader("Accept", "application/json").build(), budget);
        } catch (JumioCallFailure e) {
            observe(operation, span, started, 0,
                    JumioCallFailure.NO_ANSWER.equals(e.answer()) ? "timeout" : "network");
            throw e;
        }
        int status = response.statusCode();
        observe(operation, span, started, status, Metrics.resultClass(status));
        LOG.debugf("jumio %s -> %d in %d ms", operation, status, (System.nanoTime() - started) / 1_000_000);
        if (status >= 200 && status < 300) {
            try {
                byte[] body = response.body();
                return body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()
                        ? mapper.createObjectNode()
                        : mapper.readTree(body);
            } catch (IOException e) {
                // The body is not what its status promised: Jumio may have acted.
                throw new JumioCallFailure.Transient(operation, status, JumioCallFailure.CUT_ANSWER, null, true,
                        deadline, e);
            }
        }
        Long retryAfter = retryAfterMillis(response.headers().firstValue("Retry-After").orElse(null));
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
        throw new JumioCallFailure.Rejected(operation, status, problemTitle(response.body()));
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

    /**
     * The whole answer within {@code budget}: the request's own timeout bounds the wait for the headers, this one the
     * body too.
     */
    private HttpResponse<byte[]> send(String operation, Deadline deadline, HttpRequest request, Duration budget) {
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            return answer.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new JumioCallFailure.Transient(operation, 0, JumioCallFailure.NO_ANSWER, null, true, deadline, e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new JumioCallFailure.GiveUp(operation, 0, JumioCallFailure.NO_ANSWER, null, true, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            boolean notSent = causedBy(cause, HttpConnectTimeoutException.class)
                    || causedBy(cause, ConnectException.class) || causedBy(cause, UnknownHostException.class)
                    || causedBy(cause, NoRouteToHostException.class);
            String what = notSent
                    ? JumioCallFailure.NOT_SENT
                    : causedBy(cause, HttpTimeoutException.class)
                            ? JumioCallFailure.NO_ANSWER
                            : JumioCallFailure.CUT_ANSWER;
            throw new JumioCallFailure.Transient(operation, 0, what, null, !notSent, deadline, cause);
        }
    }

    private String problemTitle(byte[] body) {
        try {
            if (body == null || body.length == 0) {
                return null;
            }
            JsonNode problem = mapper.readTree(body);
            // Titles are Jumio's fixed phrases ("Unauthorized"); details can quote our input, so they stay out.
            JsonNode title = problem.has("title") ? problem.get("title") : problem.get("error");
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

    private static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
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
