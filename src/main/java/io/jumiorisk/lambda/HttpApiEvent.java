package io.jumiorisk.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The parts of an API Gateway HTTP API event (payload format 2.0) that the handlers read. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpApiEvent(String version, String routeKey, String rawPath, String rawQueryString,
        Map<String, String> headers, Map<String, String> queryStringParameters, Map<String, String> pathParameters,
        RequestContext requestContext, String body, boolean isBase64Encoded) {

    /** Direct invocations (Step Functions, the console) carry no request context with an HTTP method. */
    public static boolean matches(JsonNode event) {
        return event != null && event.isObject() && event.path("requestContext").path("http").has("method");
    }

    public String header(String name) {
        if (headers == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
                return h.getValue();
            }
        }
        return null;
    }

    public String query(String name) {
        return queryStringParameters == null ? null : queryStringParameters.get(name);
    }

    public String path(String name) {
        return pathParameters == null ? null : pathParameters.get(name);
    }

    public String method() {
        return requestContext == null || requestContext.http() == null ? null : requestContext.http().method();
    }

    public String sourceIp() {
        return requestContext == null || requestContext.http() == null ? null : requestContext.http().sourceIp();
    }

    public String requestId() {
        return requestContext == null ? null : requestContext.requestId();
    }

    public byte[] bodyBytes() {
        if (body == null) {
            return new byte[0];
        }
        // The strict decoder: the MIME one skips characters outside the alphabet, so garbage would pass as a body.
        return isBase64Encoded ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestContext(String requestId, String domainName, String stage, Http http) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Http(String method, String path, String sourceIp) {
    }
}
