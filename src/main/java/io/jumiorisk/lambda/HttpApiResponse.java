package io.jumiorisk.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An API Gateway HTTP API response (payload format 2.0). */
@RegisterForReflection
public record HttpApiResponse(int statusCode, Map<String, String> headers, String body,
        @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {

    public static HttpApiResponse json(int status, String body, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        headers.put("cache-control", "no-store");
        return new HttpApiResponse(status, headers, body, false);
    }

    public HttpApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpApiResponse(statusCode, copy, body, isBase64Encoded);
    }
}
