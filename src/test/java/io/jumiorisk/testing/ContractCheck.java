package io.jumiorisk.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.local.HttpContract;

/**
 * Holds every HTTP exchange a test has with a function to the HTTP contract, {@code infra/openapi.yaml}. The answer is
 * always checked: whatever a test sends, what comes back must be something the contract promises. The request is
 * checked only when it was accepted (2xx): the tests send bad input on purpose, and a refusal is the point of those;
 * but a request that the product accepts and the contract forbids means the two disagree.
 */
public final class ContractCheck {
    private static volatile OpenApiInteractionValidator validator;

    private ContractCheck() {
    }

    /**
     * @param eventJson the API Gateway HTTP API event (payload format 2.0) the function was given
     * @throws AssertionError naming every way the exchange breaks the contract
     */
    public static void verify(String eventJson, Lambda.HttpAnswer answer) {
        JsonNode event = Lambda.parse(eventJson);
        Request request = request(event);
        SimpleResponse response = response(answer);
        boolean accepted = answer.status() >= 200 && answer.status() < 300;
        ValidationReport report = accepted
                ? validator().validate(request, response)
                : validator().validateResponse(request.getPath(), request.getMethod(), response);
        if (report.hasErrors()) {
            throw new AssertionError(describe(request, answer, accepted, report));
        }
    }

    static OpenApiInteractionValidator validator() {
        if (validator == null) {
            synchronized (ContractCheck.class) {
                if (validator == null) {
                    validator = build();
                }
            }
        }
        return validator;
    }

    private static OpenApiInteractionValidator build() {
        String document;
        try {
            document = Files.readString(HttpContract.FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the HTTP contract " + HttpContract.FILE.toAbsolutePath(), e);
        }
        return OpenApiInteractionValidator.createForInlineApiSpecification(document)
                // API Gateway checks the SigV4 signature before it invokes a function, and the event it hands on
                // is what the tests build: there is no signature left to show at this point.
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.security.missing", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    /** The request as the client sent it to API Gateway, read back from the event. */
    static Request request(JsonNode event) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(
                event.path("requestContext").path("http").path("method").asText(), event.path("rawPath").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = event.path("headers").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> h = it.next();
            b.withHeader(h.getKey(), h.getValue().asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = event.path("queryStringParameters").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> q = it.next();
            b.withQueryParam(q.getKey(), q.getValue().asText());
        }
        if (event.hasNonNull("body")) {
            b.withBody(body(event.path("body").asText(), event.path("isBase64Encoded").asBoolean(false)));
        }
        return b.build();
    }

    /** API Gateway base64-encodes what it passes as binary; a body that is not base64 is compared as it came. */
    private static String body(String body, boolean base64) {
        if (!base64) {
            return body;
        }
        try {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return body;
        }
    }

    static SimpleResponse response(Lambda.HttpAnswer answer) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(answer.status());
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.headers().fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> h = it.next();
            b.withHeader(h.getKey(), h.getValue().asText());
        }
        if (!answer.rawBody().isEmpty()) {
            b.withBody(answer.rawBody());
        }
        return b.build();
    }

    private static String describe(Request request, Lambda.HttpAnswer answer, boolean accepted,
            ValidationReport report) {
        String problems = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> "  - " + (m.getKey().startsWith("validation.request") && accepted
                        ? "the request was accepted, but the contract refuses it: "
                        : "")
                        + m.getKey() + ": " + m.getMessage()
                        + (m.getAdditionalInfo().isEmpty() ? "" : " " + m.getAdditionalInfo()))
                .collect(Collectors.joining("\n"));
        String body = answer.rawBody().length() > 2_000
                ? answer.rawBody().substring(0, 2_000) + "..."
                : answer.rawBody();
        return "The HTTP exchange breaks the contract in " + HttpContract.FILE + ": " + request.getMethod() + " "
                + request.getPath() + " answered " + answer.status() + "\n" + problems + "\n  answer headers: "
                + answer.headers() + "\n  answer body: " + body;
    }
}
