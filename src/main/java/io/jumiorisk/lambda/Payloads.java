package io.jumiorisk.lambda;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.errors.InvalidRequest;

/** Reads what callers send: HTTP bodies, headers and the fields of a direct invocation. */
final class Payloads {
    private Payloads() {
    }

    /**
     * An HTTP body, decoded, refused with {@code tooLarge} when it is larger than {@code maxBytes}: checked on the
     * encoded text first, so that an oversized body is never decoded.
     */
    static byte[] bytes(HttpApiEvent event, int maxBytes, int tooLarge, String tooLargeDetail) {
        if (event.body() != null && event.body().length() > maxBytes * 4 / 3 + 4) {
            throw Refusal.of(tooLarge, tooLargeDetail);
        }
        byte[] body;
        try {
            body = event.bodyBytes();
        } catch (IllegalArgumentException e) {
            throw Refusal.of(400, "The body is not valid base64");
        }
        if (body.length > maxBytes) {
            throw Refusal.of(tooLarge, tooLargeDetail);
        }
        return body;
    }

    /** A JSON body; absent or empty is null. */
    static JsonNode json(HttpApiEvent event, int maxBytes, ObjectMapper mapper) {
        String contentType = event.header("content-type");
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            throw Refusal.of(415, "Send the request as application/json");
        }
        byte[] body = bytes(event, maxBytes, 413, "The body is larger than " + maxBytes + " bytes");
        try {
            return body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException e) {
            throw InvalidRequest.of("body", "is not valid JSON");
        }
    }

    /** A header that, when present, must be 1 to {@code maxLength} characters long. */
    static String header(HttpApiEvent event, String name, int maxLength) {
        String value = event.header(name);
        if (value != null && (value.isBlank() || value.length() > maxLength)) {
            throw InvalidRequest.of(name, "must be 1 to " + maxLength + " characters long");
        }
        return value;
    }

    /** A required text field of a direct invocation's payload ({@code {"checkId": "..."}}). */
    static String requiredText(JsonNode payload, String field) {
        JsonNode value = payload == null ? null : payload.get(field);
        if (value == null || !value.isTextual()) {
            throw InvalidRequest.of(field, "is required");
        }
        return value.asText();
    }

    /** An optional text field of a direct invocation's payload: null when absent or JSON null. */
    static String optionalText(JsonNode payload, String field, String rule) {
        JsonNode value = payload == null ? null : payload.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw InvalidRequest.of(field, rule);
        }
        return value.asText();
    }
}
