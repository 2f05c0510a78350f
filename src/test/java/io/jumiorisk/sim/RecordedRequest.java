package io.jumiorisk.sim;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request received by the simulator (or, for {@link Endpoint#CALLBACK}, a callback it sent; then {@code path} is
 * the full callback URL). {@code headers} is case-insensitive; multiple values are joined with ",".
 */
public record RecordedRequest(Endpoint endpoint, String method, String path, Map<String, String> headers,
        String body, Instant receivedAt) {

    /** Header value (case-insensitive name), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body parsed as JSON (a MissingNode when empty, null when not JSON). */
    public JsonNode json() {
        if (body == null || body.isEmpty()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        try {
            return Http.JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
