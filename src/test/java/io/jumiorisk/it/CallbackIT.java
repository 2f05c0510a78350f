package io.jumiorisk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.sim.CallbackResult;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.SeededWorkflow;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Forgeries;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code callback} in the native executable. The check is put in the table as initiate would leave it; the simulator
 * then delivers Jumio's callback over HTTP to the API Gateway stand-in, which invokes the binary through the event
 * server, and the binary fetches the decision from the simulator with its own OAuth token.
 */
@QuarkusIntegrationTest
@TestProfile(Profiles.Callback.class)
class CallbackIT {
    static final String JUMIO_IP = Forgeries.JUMIO_IP;

    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    /** The URL the product would have given Jumio for the check {@code checkId}. */
    private static String callbackUrl(String checkId) {
        return TestServices.callbackUrlFor(checkId, TestServices.CALLBACK_TOKEN);
    }

    private static String body(SeededWorkflow wf, String status) {
        return """
                {"callbackSentAt":"%s","workflowExecution":{"id":"%s","status":"%s","definitionKey":"10066"},
                 "account":{"id":"%s"}}""".formatted(Instant.now(), wf.workflowExecutionId(), status, wf.accountId());
    }

    @Test
    void aGenuineCallbackLeadsToAStoredDecision() {
        // The callback is sent a moment after seeding, once the check is in the table.
        sim.callbacks(true).callbackDelayMillis(1_500).nextOutcome("REJECTED", "TXN_REJECTED", 100);
        String checkId = SeededChecks.newId();
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", callbackUrl(checkId));
        SeededChecks.pending(checkId, wf, Instant.now(), null);

        TestServices.await("the decision", () -> "PROCESSED".equals(SeededChecks.status(checkId)));

        Map<String, AttributeValue> item = SeededChecks.check(checkId);
        Map<String, AttributeValue> decision = item.get("decision").m();
        assertThat(decision.get("type").s()).isEqualTo("REJECTED");
        assertThat(decision.get("label").s()).isEqualTo("TXN_REJECTED");
        assertThat(decision.get("riskScore").n()).isEqualTo("100");
        assertThat(decision.get("capabilities").l()).isNotEmpty();
        assertThat(item.get("callbackStatus").s()).isEqualTo("PROCESSED");
        assertThat(item.get("detailsPending").bool()).isFalse();
        TestServices.await("the callback answer", () -> !sim.callbackResults().isEmpty());
        assertThat(sim.callbackResults()).extracting(CallbackResult::httpStatus).containsExactly(200);
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
        assertThat(sim.requests(Endpoint.DETAILS).get(0).header("Authorization")).startsWith("Bearer ");
    }

    @Test
    void aCallbackFromAJumioAddressIsAnsweredAndADuplicateIgnored() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.pending(wf, Instant.now());

        Lambda.HttpAnswer first = Lambda.http(Events.callback(body(wf, "PROCESSED")).signedFor(checkId)
                .sourceIp(JUMIO_IP));
        Lambda.HttpAnswer again = Lambda.http(Events.callback(body(wf, "PROCESSED")).signedFor(checkId)
                .sourceIp(JUMIO_IP));

        assertThat(first.status()).as(first.rawBody()).isEqualTo(200);
        assertThat(first.body().path("status").asText()).isEqualTo("RECORDED");
        assertThat(again.body().path("status").asText()).isEqualTo("IGNORED");
        assertThat(SeededChecks.status(checkId)).isEqualTo("PROCESSED");
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
    }

    @Test
    void anExpiryCallbackFailsTheWaitingStepFunctionsTask() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String token = "native-it-token-" + wf.workflowExecutionId();
        String checkId = SeededChecks.pending(wf, Instant.now(), token);
        // Jumio's status API confirms the expiry before the task is failed.
        sim.expire(wf.workflowExecutionId(), "SESSION_EXPIRED");

        Lambda.HttpAnswer answer = Lambda.http(Events.callback(body(wf, "SESSION_EXPIRED")).signedFor(checkId)
                .sourceIp(JUMIO_IP));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        Map<String, AttributeValue> item = SeededChecks.check(checkId);
        assertThat(item.get("status").s()).isEqualTo("SESSION_EXPIRED");
        assertThat(item.get("taskState").s()).as(item.toString()).isEqualTo("COMPLETED");
        assertThat(item.get("taskOutcome").s()).isEqualTo("SendTaskFailure");
        // Sent by the binary's SFN client to aws.endpointUrlSfn (the recorder in front of moto).
        assertThat(TestServices.sfn().calls("SendTaskFailure")).filteredOn(c -> c.body().contains(token))
                .singleElement().satisfies(c -> {
                    assertThat(c.status()).isEqualTo(200);
                    assertThat(Events.JSON.readTree(c.body()).path("error").asText()).isEqualTo("Jumio.SessionExpired");
                });
        assertThat(sim.count(Endpoint.DETAILS)).isZero();
        assertThat(sim.count(Endpoint.STATUS)).isEqualTo(1);
        assertThat(TestServices.allItems().toString()).as("the task token stays sealed").doesNotContain(token);
    }

    @Test
    void forgedCallbacksAreRefusedAndChangeNothing() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.pending(wf, Instant.now());
        List<Map<String, AttributeValue>> before = TestServices.allItems();
        String body = body(wf, "PROCESSED");

        List<Forgeries.Forgery> forgeries = Forgeries.of(body, checkId, TestServices.CALLBACK_TOKEN);
        for (Forgeries.Forgery forgery : forgeries) {
            Lambda.HttpAnswer answer = Lambda.http(forgery.event());
            assertThat(answer.status()).as(forgery.name()).isEqualTo(forgery.status());
            assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
            assertThat(answer.body().has("detail")).as(forgery.name() + " leaks no detail").isFalse();
        }
        assertThat(TestServices.allItems()).isEqualTo(before);
        assertThat(sim.count(Endpoint.DETAILS)).isZero();
    }

    @Test
    void aMalformedCallbackIsA400AndChangesNothing() {
        List<Map<String, AttributeValue>> before = TestServices.allItems();
        Lambda.HttpAnswer answer = Lambda.http(Events.callback("{\"workflowExecution\":{\"id\":\"x\"}}")
                .signedFor(SeededChecks.newId()).sourceIp(JUMIO_IP));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
        assertThat(answer.body().path("errors").findValuesAsText("field"))
                .contains("workflowExecution.id", "account.id", "workflowExecution.status");
        assertThat(TestServices.allItems()).isEqualTo(before);
    }

    @Test
    void theExpiryCallbackOfAWorkflowLeftByAnAmbiguousAttemptRecordsItForTheEraseSweep() {
        String reference = Checks.reference();
        String checkId = SeededChecks.newId();
        SeededWorkflow own = sim.seedFinalizedWorkflow("10066", null);
        String orphan = sim.seedUnfinalizedWorkflow("10066", callbackUrl(checkId), reference);
        SeededChecks.pendingAfterAnAmbiguousAttempt(checkId, own, reference, Instant.now());
        sim.expireUnfinalizedNow();

        CallbackResult first = sim.sendCallback(orphan, "TOKEN_EXPIRED");
        CallbackResult again = sim.sendCallback(orphan, "TOKEN_EXPIRED");

        assertThat(first.httpStatus()).isEqualTo(200);
        assertThat(again.httpStatus()).isEqualTo(200);
        Map<String, AttributeValue> record = TestServices.item("ORPHAN#" + orphan);
        assertThat(record.get("state").s()).isEqualTo("PENDING");
        assertThat(record.get("checkId").s()).isEqualTo(checkId);
        assertThat(TestServices.item("SWEEP#orphans").get("workflowIds").ss()).containsExactly(orphan);
        assertThat(sim.deleteRequests()).as("the callback function deletes nothing at Jumio").isEmpty();
    }

    @Test
    void aCallbackWithAStatusWeDoNotKnowAndNoContentTypeIsTaken() {
        String checkId = SeededChecks.newId();
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", callbackUrl(checkId));
        SeededChecks.pending(checkId, wf, Instant.now(), null);
        TestServices.await("Jumio to finish", () -> "PROCESSED".equals(sim.workflowStatus(wf.workflowExecutionId())));

        CallbackResult result = sim.sendCallback(wf.workflowExecutionId(), "REVIEW_DONE", null);

        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(SeededChecks.status(checkId)).as("settled through the status API").isEqualTo("PROCESSED");
    }
}
