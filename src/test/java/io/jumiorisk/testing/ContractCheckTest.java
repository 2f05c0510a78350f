package io.jumiorisk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The contract check itself: hand-made answers that break {@code infra/openapi.yaml} fail with a message that says
 * how, and answers that keep it pass. Without this, a check that let everything through would look like a green
 * suite.
 */
class ContractCheckTest {
    static final String ID = "1e7c9288-84c5-4361-acce-d5b625f7a507";
    static final String CHECK = """
            {"checkId":"%s","status":"PENDING","accountId":"b1bd0eca-1351-4842-9c1f-b3f67e7a7ccd",
             "workflowExecutionId":"3ff1e8c7-035b-4cd8-8f3f-2d8a379be28d","createdAt":"2026-11-25T21:42:03.156Z",
             "updatedAt":"2026-11-25T21:42:04.187123Z","links":{"self":"/checks/%s"}}""".formatted(ID, ID);
    static final String PROBLEM = """
            {"type":"urn:jumio-risk-lambda:problem:invalid-request","title":"Bad Request","status":400,
             "detail":"Invalid request: preparedData is required","instance":"/checks",
             "errorType":"io.jumiorisk.errors.InvalidRequest",
             "errors":[{"field":"preparedData","message":"is required"}]}""";
    static final String GOOD_START = "{\"customerInternalReference\":\"txn-1\",\"workflowDefinitionKey\":10066,"
            + "\"preparedData\":{\"email\":\"jane@example.com\"}}";
    static final Map<String, String> JSON = Map.of("content-type", "application/json", "cache-control", "no-store");
    static final Map<String, String> PROBLEM_JSON = Map.of("content-type", "application/problem+json",
            "cache-control", "no-store");

    static Lambda.HttpAnswer answer(int status, Map<String, String> headers, String body) {
        ObjectNode payload = Events.JSON.createObjectNode();
        payload.put("statusCode", status);
        payload.set("headers", Events.JSON.valueToTree(headers));
        payload.put("body", body);
        payload.put("isBase64Encoded", false);
        return Lambda.HttpAnswer.of(payload.toString());
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    @Test
    void answersThatKeepTheContractPass() {
        assertThatCode(() -> ContractCheck.verify(Events.getCheck(ID).json(), answer(200, JSON, CHECK)))
                .doesNotThrowAnyException();
        assertThatCode(() -> ContractCheck.verify(Events.postCheck(GOOD_START).json(),
                answer(202, with(JSON, "location", "/checks/" + ID), CHECK))).doesNotThrowAnyException();
        assertThatCode(() -> ContractCheck.verify(Events.callback("{}").json(),
                answer(401, PROBLEM_JSON, "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}")))
                .doesNotThrowAnyException();
    }

    @Test
    void anAnswerWithoutARequiredFieldFails() {
        String noLinks = CHECK.replaceFirst(",\"links\":\\{[^}]*}", "");
        assertThatThrownBy(() -> ContractCheck.verify(Events.getCheck(ID).json(), answer(200, JSON, noLinks)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /checks/" + ID + " answered 200")
                .hasMessageContaining("validation.response.body.schema")
                .hasMessageContaining("links");
    }

    @Test
    void anAnswerWithAFieldTheContractDoesNotKnowFails() {
        String extra = CHECK.replace("\"status\":\"PENDING\"", "\"status\":\"PENDING\",\"email\":\"jane@example.com\"");
        assertThatThrownBy(() -> ContractCheck.verify(Events.getCheck(ID).json(), answer(200, JSON, extra)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("email");
    }

    @Test
    void livePersonalDataOnThePlainReadFails() {
        String live = CHECK.replace("\"status\":\"PENDING\"", "\"status\":\"PENDING\",\"liveCapabilities\":{}");
        assertThatThrownBy(() -> ContractCheck.verify(Events.getCheck(ID).json(), answer(200, JSON, live)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("validation.response.body.schema");
        assertThatCode(() -> ContractCheck.verify(Events.getCheckDetails(ID).json(), answer(200, JSON, live)))
                .doesNotThrowAnyException();
    }

    @Test
    void aStatusTheContractDoesNotListFails() {
        assertThatThrownBy(() -> ContractCheck.verify(Events.getCheck(ID).json(), answer(409, PROBLEM_JSON,
                PROBLEM.replace("400", "409")))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("validation.response.status.unknown");
    }

    @Test
    void aProblemSentAsPlainJsonFails() {
        assertThatThrownBy(() -> ContractCheck.verify(Events.postCheck("{}").json(), answer(400, JSON, PROBLEM)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("validation.response.contentType");
    }

    @Test
    void anAnswerThatMayBeCachedFails() {
        Map<String, String> cacheable = Map.of("content-type", "application/json");
        assertThatThrownBy(() -> ContractCheck.verify(Events.getCheck(ID).json(), answer(200, cacheable, CHECK)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cache-Control");
    }

    @Test
    void anErrorTypeTheContractDoesNotNameFails() {
        String unnamed = PROBLEM.replace("io.jumiorisk.errors.InvalidRequest", "java.lang.NullPointerException");
        assertThatThrownBy(() -> ContractCheck.verify(Events.postCheck("{}").json(),
                answer(400, PROBLEM_JSON, unnamed))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("errorType");
    }

    @Test
    void aRefusedRequestIsNotHeldToTheContractButItsAnswerIs() {
        String bad = "{\"customerInternalReference\":\"txn<1>\",\"colour\":\"red\"}";
        assertThatCode(() -> ContractCheck.verify(Events.postCheck(bad).json(), answer(400, PROBLEM_JSON, PROBLEM)))
                .doesNotThrowAnyException();
    }

    @Test
    void anAcceptedRequestThatTheContractRefusesFails() {
        String bad = "{\"customerInternalReference\":\"txn<1>\",\"preparedData\":{\"email\":\"jane@example.com\"}}";
        assertThatThrownBy(() -> ContractCheck.verify(Events.postCheck(bad).json(),
                answer(202, with(JSON, "location", "/checks/" + ID), CHECK))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the request was accepted, but the contract refuses it")
                .hasMessageContaining("customerInternalReference");
    }

    @Test
    void aBase64BodyIsCheckedAsApiGatewayReceivedIt() throws Exception {
        String event = Events.postCheck(GOOD_START).base64Body().json();
        assertThat(ContractCheck.request(Lambda.parse(event)).getRequestBody().orElseThrow()
                .toString(StandardCharsets.UTF_8)).isEqualTo(GOOD_START);
    }
}
