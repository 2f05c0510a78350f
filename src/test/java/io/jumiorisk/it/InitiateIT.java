package io.jumiorisk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.sim.AfterProcessing;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.LinkShape;
import io.jumiorisk.sim.RecordedRequest;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code initiate} in the native executable, through the Lambda event path: the JDK HTTP client and Jackson against the
 * Jumio simulator, the DynamoDB client against moto, configured only by the {@code -D} settings the test resource
 * hands to the binary.
 */
@QuarkusIntegrationTest
@TestProfile(Profiles.Initiate.class)
class InitiateIT {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    @Test
    void aCheckIsAcceptedStartedAtJumioAndRecorded() {
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(answer.header("content-type")).isEqualTo("application/json");
        JsonNode view = answer.body();
        String checkId = view.path("checkId").asText();
        String wx = view.path("workflowExecutionId").asText();
        assertThat(view.path("status").asText()).isEqualTo("PENDING");
        assertThat(view.path("accountId").asText()).isNotBlank();
        assertThat(view.path("createdAt").asText()).as("Instant written as ISO-8601")
                .matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(view.path("links").path("self").asText()).isEqualTo("/checks/" + checkId);
        assertThat(answer.header("location")).isEqualTo("/checks/" + checkId);

        // It reached Jumio: token, account, upload, finalize, with the body Jackson serialised.
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.count(Endpoint.UPLOAD)).isEqualTo(1);
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
        assertThat(sim.workflowStatus(wx)).isIn("ACQUIRED", "PROCESSED");
        assertThat(sim.uploadedData(wx).path("email").asText()).isEqualTo(Checks.EMAIL);
        RecordedRequest account = sim.requests(Endpoint.ACCOUNT_CREATE).get(0);
        assertThat(account.header("User-Agent")).isEqualTo("AcmeBank Onboarding/2.1 (jumio-risk-lambda tests)");
        assertThat(account.header("Authorization")).startsWith("Bearer ");
        assertThat(account.json().path("customerInternalReference").asText()).startsWith("txn-");
        assertThat(account.json().path("workflowDefinition").path("key").asLong()).isEqualTo(10066);
        assertThat(account.json().path("callbackUrl").asText())
                .isEqualTo(TestServices.callbackUrlFor(checkId, TestServices.CALLBACK_TOKEN));
        assertThat(account.json().has("preparedData")).isFalse();

        // And it is in the table (moto): the SDK in the binary honoured -Daws.endpointUrl and friends.
        Map<String, AttributeValue> item = TestServices.item("CHECK#" + checkId);
        assertThat(item).isNotNull();
        assertThat(item.get("step").s()).isEqualTo("FINALIZED");
        assertThat(item.get("status").s()).isEqualTo("PENDING");
        assertThat(item).doesNotContainKeys("sealedToken", "leaseOwner");
        assertThat(Long.parseLong(item.get("expiresAt").n()))
                .isGreaterThan(Instant.now().plusSeconds(29 * 86400L).getEpochSecond());
        assertThat(TestServices.item("WX#" + wx).get("checkId").s()).isEqualTo(checkId);
        assertThat(item.toString()).doesNotContain(Checks.EMAIL);
    }

    @Test
    void anEkycCheckWithABase64BodyKeepsItsPreparedData() {
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.ekyc(Checks.reference())).base64Body());

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        JsonNode uploaded = sim.uploadedData(answer.body().path("workflowExecutionId").asText());
        assertThat(uploaded.path("lastName").asText()).isEqualTo(Checks.LAST_NAME);
        assertThat(uploaded.path("address").path("country").asText()).isEqualTo("USA");
        assertThat(uploaded.path("id").path("type").asText()).isEqualTo("DRIVING_LICENSE");
    }

    @Test
    void aRepeatWithTheSameKeyReturnsTheSameCheckAndADifferentBodyConflicts() {
        String body = Checks.phoneRisk(Checks.reference());
        String key = "native-it-" + java.util.UUID.randomUUID();

        Lambda.HttpAnswer first = Lambda.http(Events.postCheck(body).header("idempotency-key", key));
        Lambda.HttpAnswer again = Lambda.http(Events.postCheck(body).header("idempotency-key", key));

        assertThat(first.status()).as(first.rawBody()).isEqualTo(202);
        assertThat(again.status()).as(again.rawBody()).isEqualTo(202);
        assertThat(again.body().path("checkId").asText()).isEqualTo(first.body().path("checkId").asText());
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        Lambda.HttpAnswer conflict = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))
                .header("idempotency-key", key));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.IdempotencyConflict");
    }

    @Test
    void aReplayAfterTheCheckWasErasedIsA410AndNothingGoesToJumio() {
        String body = Checks.emailRisk(Checks.reference());
        String key = "native-it-" + java.util.UUID.randomUUID();
        Lambda.HttpAnswer first = Lambda.http(Events.postCheck(body).header("idempotency-key", key));
        String checkId = first.body().path("checkId").asText();
        // What the erase function leaves: the tombstone, and the idempotency item still leading to it.
        SeededChecks.erased(checkId);
        sim.resetCounts();

        Lambda.HttpAnswer replay = Lambda.http(Events.postCheck(body).header("idempotency-key", key));

        assertThat(replay.status()).as(replay.rawBody()).isEqualTo(410);
        assertThat(replay.header("content-type")).isEqualTo("application/problem+json");
        assertThat(replay.body().path("title").asText()).isEqualTo("Gone");
        assertThat(replay.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.CheckErased");
        assertThat(replay.rawBody()).doesNotContain(Checks.EMAIL);
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).as("nothing sent to Jumio")
                .isZero();
        assertThat(SeededChecks.status(checkId)).isEqualTo("ERASED");
    }

    @Test
    void aStepFunctionsRetryAfterTheCheckWasErasedFailsAsCheckErased() throws Exception {
        // The state machine names the check itself; its retries send the same id.
        String checkId = java.util.UUID.randomUUID().toString();
        com.fasterxml.jackson.databind.node.ObjectNode payload = (com.fasterxml.jackson.databind.node.ObjectNode) Events.JSON
                .readTree(Checks.emailRisk(Checks.reference()));
        payload.put("checkId", checkId);
        assertThat(Lambda.direct(payload.toString()).ok()).isTrue();
        SeededChecks.erased(checkId);
        sim.resetCounts();

        Lambda.Result retried = Lambda.direct(payload.toString());

        assertThat(retried.errorType()).isEqualTo("io.jumiorisk.errors.CheckErased");
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }

    @Test
    void aBadRequestIsA400ProblemNamingEveryField() {
        int itemsBefore = TestServices.allItems().size();
        String body = """
                {"customerInternalReference":"a|b","workflowDefinitionKey":10066,
                 "preparedData":{"email":"nope","phoneNumber":"123","dateOfBirth":"1990-13-01",
                   "address":{"country":"Narnia"},"id":{"type":"BADGE"}}}""";

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(400);
        assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
        assertThat(answer.body().path("title").asText()).isEqualTo("Bad Request");
        assertThat(answer.body().path("status").asInt()).isEqualTo(400);
        assertThat(answer.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
        java.util.List<String> fields = new java.util.ArrayList<>();
        answer.body().path("errors").forEach(e -> {
            assertThat(e.path("message").asText()).as("each error has a message").isNotBlank();
            fields.add(e.path("field").asText());
        });
        assertThat(fields).contains("customerInternalReference", "preparedData.email", "preparedData.phoneNumber",
                "preparedData.dateOfBirth", "preparedData.address.country", "preparedData.id.type");
        assertThat(answer.rawBody()).doesNotContain("nope", "Narnia", "BADGE");

        Lambda.HttpAnswer malformed = Lambda.http(Events.postCheck("{\"customerInternalReference\": "));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("errors").get(0).path("field").asText()).isEqualTo("body");

        assertThat(
                Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())).header("content-type", "text/plain"))
                        .status())
                .isEqualTo(415);
        assertThat(TestServices.allItems()).as("nothing stored").hasSize(itemsBefore);
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).as("nothing sent").isZero();
    }

    @Test
    void aDirectInvocationWithABadPayloadFailsWithTheProductErrorType() {
        Lambda.Result result = Lambda.direct("{\"customerInternalReference\":\"txn-1\",\"taskToken\":42}");
        assertThat(result.ok()).isFalse();
        assertThat(result.errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
    }

    @Test
    void aStepFunctionsTaskIsCompletedThroughTheSfnClient() throws Exception {
        // A repeated start that brings a task token for a check that has already ended completes the task at once,
        // with the check view as output. moto accepts any token; the stored outcome and the recorder tell the story.
        // (SendTaskFailure is covered by CallbackIT.)
        String body = Checks.emailRisk(Checks.reference());
        String checkId = Lambda.http(Events.postCheck(body)).body().path("checkId").asText();
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", AttributeValue.fromS("CHECK#" + checkId)))
                .updateExpression("SET #s = :p, completedAt = :now, decision = :d")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("PROCESSED"),
                        ":now", AttributeValue.fromS(Instant.now().toString()),
                        ":d", AttributeValue.fromM(Map.of("type", AttributeValue.fromS("PASSED"),
                                "label", AttributeValue.fromS("OK"), "capabilities",
                                AttributeValue.fromL(java.util.List.of()))))));
        com.fasterxml.jackson.databind.node.ObjectNode direct = (com.fasterxml.jackson.databind.node.ObjectNode) Events.JSON
                .readTree(body);
        direct.put("taskToken", "native-it-token-" + checkId);

        Lambda.Result repeat = Lambda.direct(direct.toString());

        assertThat(repeat.ok()).as(String.valueOf(repeat.body())).isTrue();
        assertThat(repeat.body().path("checkId").asText()).isEqualTo(checkId);
        assertThat(repeat.body().path("status").asText()).isEqualTo("PROCESSED");
        Map<String, AttributeValue> item = TestServices.item("CHECK#" + checkId);
        assertThat(item.get("taskState").s()).as(item.toString()).isEqualTo("COMPLETED");
        assertThat(item.get("taskOutcome").s()).isEqualTo("SendTaskSuccess");
        // On the wire, through aws.endpointUrlSfn (the SDK's service-specific endpoint setting) to the recorder.
        assertThat(TestServices.sfn().calls("SendTaskSuccess"))
                .filteredOn(c -> c.body().contains("native-it-token-" + checkId))
                .singleElement().satisfies(c -> {
                    assertThat(c.status()).isEqualTo(200);
                    JsonNode request = Events.JSON.readTree(c.body());
                    JsonNode output = Events.JSON.readTree(request.path("output").asText());
                    assertThat(output.path("checkId").asText()).isEqualTo(checkId);
                    assertThat(output.path("decision").path("type").asText()).isEqualTo("PASSED");
                });
    }

    @Test
    void anAmbiguousAccountAnswerIsRecordedAnswered503AndTheRetryCompletes() {
        String body = Checks.emailRisk(Checks.reference());
        sim.afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.BAD_GATEWAY, 1);

        Lambda.HttpAnswer first = Lambda.http(Events.postCheck(body));

        assertThat(first.status()).as(first.rawBody()).isEqualTo(503);
        assertThat(first.header("retry-after")).isNotNull();
        String checkId = first.body().path("checkId").asText();
        assertThat(TestServices.item("CHECK#" + checkId).get("startAttempts").l()).hasSize(1);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("not repeated blindly").isEqualTo(1);

        Lambda.HttpAnswer retried = Lambda.http(Events.postCheck(body));

        assertThat(retried.status()).as(retried.rawBody()).isEqualTo(202);
        assertThat(retried.body().path("checkId").asText()).isEqualTo(checkId);
        assertThat(retried.body().path("startAttempts").get(0).path("answer").asText()).isEqualTo("HTTP_502");
    }

    @Test
    void anUploadUrlOffJumiosApiHostGetsNothing() {
        sim.uploadLink(LinkShape.OTHER_PORT);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(502);
        assertThat(answer.body().path("detail").asText()).contains("UNTRUSTED_URL_UPLOAD");
        assertThat(sim.strayRequests()).isEmpty();
        assertThat(sim.count(Endpoint.UPLOAD)).isZero();
    }

    @Test
    void jumioRefusingAnUnknownAccountIsA502Problem() {
        String body = """
                {"customerInternalReference":"%s","workflowDefinitionKey":10066,"accountId":"0b3e3a4c-1111-4222-8333-944455556666",
                 "preparedData":{"email":"x@example.com"}}"""
                .formatted(Checks.reference());

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(502);
        assertThat(answer.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.JumioRejected");
        assertThat(sim.count(Endpoint.ACCOUNT_UPDATE)).isEqualTo(1);
    }

    @Test
    void jumioRefusingForItsRateLimitIsRetriedWithBackoff() {
        // A 429 says Jumio did nothing, so repeating the account request is safe (a 5xx would not be).
        sim.failNext(Endpoint.ACCOUNT_CREATE, 429, 2);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("retried in the binary").isEqualTo(3);
    }
}
