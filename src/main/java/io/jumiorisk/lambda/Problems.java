package io.jumiorisk.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.errors.ProductError;
import io.jumiorisk.errors.StoreUnavailable;

/** RFC 9457 problem details for HTTP callers. */
@ApplicationScoped
public class Problems {
    private static final Logger LOG = Logger.getLogger(Problems.class);
    static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "urn:jumio-risk-lambda:problem:";

    private final ObjectMapper mapper;

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An HTTP route's work, which may fail with a {@link ProductError} or anything else. */
    @FunctionalInterface
    interface Work {
        HttpApiResponse run() throws Exception;
    }

    /**
     * Runs a route's work: a {@link ProductError} becomes its problem answer, anything else a plain 500. Both are
     * logged by kind, never with the input.
     */
    HttpApiResponse answer(String handler, String instance, Work work) {
        try {
            return work.run();
        } catch (ProductError e) {
            LOG.infof("%s answered %d: %s", handler, e.httpStatus(), e.code());
            return of(e, instance);
        } catch (Exception e) {
            LOG.errorf("%s failed: %s", handler, Failures.describe(e));
            return internal(instance);
        }
    }

    /** The guard of a {@code /checks/{checkId}} route: 404 off it, 405 for another method; null when the event fits. */
    HttpApiResponse offCheckRoute(HttpApiEvent event, String method) {
        if (event.rawPath() == null || !event.rawPath().startsWith("/checks/")) {
            return plain(404, "This function serves " + method + " /checks/{checkId} only", null);
        }
        if (!method.equals(event.method())) {
            return plain(405, "Use " + method, null).withHeader("allow", method);
        }
        return null;
    }

    public HttpApiResponse of(ProductError error, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + error.code());
        body.put("title", title(error.httpStatus()));
        body.put("status", error.httpStatus());
        body.put("detail", error.getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("errorType", error.getClass().getName());
        if (error instanceof JumioUnavailable unavailable && unavailable.checkId() != null) {
            body.put("checkId", unavailable.checkId());
        }
        if (error instanceof InvalidRequest invalid) {
            body.put("errors", invalid.errors());
        }
        HttpApiResponse response = HttpApiResponse.json(error.httpStatus(), write(body), CONTENT_TYPE);
        if (error instanceof JumioUnavailable unavailable && unavailable.retryAfterSeconds().isPresent()) {
            response = response.withHeader("retry-after", Long.toString(unavailable.retryAfterSeconds().getAsLong()));
        }
        if (error instanceof CheckInProgress busy) {
            response = response.withHeader("retry-after", Long.toString(busy.retryAfterSeconds()));
        }
        if (error instanceof StoreUnavailable) {
            response = response.withHeader("retry-after", "1");
        }
        return response;
    }

    /** For failures that are ours, not the caller's: no detail that could leak internals. */
    public HttpApiResponse internal(String instance) {
        return plain(500, "The check could not be processed; it is safe to retry with the same request", instance);
    }

    public HttpApiResponse plain(int status, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (instance != null) {
            body.put("instance", instance);
        }
        return HttpApiResponse.json(status, write(body), CONTENT_TYPE);
    }

    private String write(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
