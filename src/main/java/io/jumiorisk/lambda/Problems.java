package io.jumiorisk.lambda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.errors.ErrorContract;
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

    /** A request refused before the flow: a plain problem, naming the route's path when the refusal may. */
    HttpApiResponse refusal(Refusal refusal, String instance) {
        HttpApiResponse response = plain(refusal.status, refusal.detail, refusal.withInstance ? instance : null);
        if (refusal.status == 503) {
            // Every retryable answer says when to come back.
            response = response.withHeader("retry-after", "1");
        }
        return refusal.allow == null ? response : response.withHeader("allow", refusal.allow);
    }

    public HttpApiResponse of(ProductError error, String instance) {
        ErrorContract contract = error.contract();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + contract.code());
        body.put("title", title(contract.httpStatus()));
        body.put("status", contract.httpStatus());
        body.put("detail", error.getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("errorType", error.getClass().getName());
        body.putAll(error.problemMembers());
        HttpApiResponse response = HttpApiResponse.json(contract.httpStatus(), write(body), CONTENT_TYPE);
        OptionalLong retryAfter = error.retryAfterSeconds();
        return retryAfter.isPresent()
                ? response.withHeader("retry-after", Long.toString(retryAfter.getAsLong()))
                : response;
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
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
