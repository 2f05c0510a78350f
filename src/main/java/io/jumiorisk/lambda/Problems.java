package io.jumiorisk.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.errors.StoreUnavailable;
import io.jumiorisk.errors.InvalidRequest;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.errors.ProductError;

/** RFC 9457 problem details for HTTP callers. */
@ApplicationScoped
public class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "urn:jumio-risk-lambda:problem:";

    private final ObjectMapper mapper;

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
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
