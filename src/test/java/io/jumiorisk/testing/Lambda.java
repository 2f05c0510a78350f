package io.jumiorisk.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;

import io.restassured.response.Response;

/**
 * Invokes the function under test through Quarkus's Lambda event server: the event goes through the same runtime
 * poll loop and Jackson mapping as on AWS. A handler error comes back as HTTP 500 with the runtime's error JSON.
 */
public final class Lambda {
    private Lambda() {
    }

    public static Response invoke(String eventJson) {
        return given().contentType("application/json").accept("application/json").body(eventJson)
                .when().post("/_lambda_");
    }

    /**
     * An HTTP API invocation: the handler's answer, which is itself an HTTP response in payload format 2.0. Every
     * answer is held to the HTTP contract ({@link ContractCheck}), and so is the request when it is accepted.
     */
    public static HttpAnswer http(Events event) {
        return http(event.json());
    }

    /** {@link #http(Events)} for an event written out in full (a sample event, a deliberately broken one). */
    public static HttpAnswer http(String eventJson) {
        Response r = invoke(eventJson);
        if (r.statusCode() != 200) {
            throw new AssertionError("Handler failed instead of answering: " + r.statusCode() + " " + r.asString());
        }
        HttpAnswer answer = HttpAnswer.of(r.asString());
        ContractCheck.verify(eventJson, answer);
        return answer;
    }

    /** A direct invocation; {@link Result#errorType()} is set when the handler failed. */
    public static Result direct(String payload) {
        rememberTaskToken(payload);
        Response r = invoke(payload);
        JsonNode body = parse(r.asString());
        return new Result(r.statusCode() == 200, body,
                r.statusCode() == 200 ? null : body.path("errorType").asText(null));
    }

    /** A task token handed over here may be kept by the product only sealed: the end-of-run scan looks for it. */
    private static void rememberTaskToken(String payload) {
        try {
            JsonNode sent = Events.JSON.readTree(payload);
            if (sent != null && sent.path("taskToken").isTextual()) {
                TestServices.handedTaskToken(sent.path("taskToken").asText());
            }
        } catch (Exception e) {
            // Not JSON: a bad-input test; it hands nothing over.
        }
    }

    static JsonNode parse(String text) {
        try {
            return Events.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + text, e);
        }
    }

    public record Result(boolean ok, JsonNode body, String errorType) {
    }

    public record HttpAnswer(int status, JsonNode headers, JsonNode body, String rawBody) {
        public static HttpAnswer of(String payload) {
            JsonNode response = Lambda.parse(payload);
            String raw = response.path("body").asText("");
            JsonNode body = raw.isEmpty() ? Events.JSON.nullNode() : Lambda.parse(raw);
            return new HttpAnswer(response.path("statusCode").asInt(), response.path("headers"), body, raw);
        }

        public String header(String name) {
            return headers.path(name).asText(null);
        }
    }
}
