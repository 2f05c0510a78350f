package io.jumiorisk.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckEraser;
import io.jumiorisk.check.CheckReader;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.AslPayloads;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.Starts;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The retrieve function through the Lambda event path; polling schedule of 1, 4, 4 s and a 1 s threshold. */
@QuarkusTest
@TestProfile(Profiles.Retrieve.class)
class RetrieveTest {
    final JumioSimulator sim = TestServices.simulator();

    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;
    @Inject
    CheckReader reader;
    @Inject
    CheckEraser eraser;

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    private CheckView startCheck(String body) {
        return Starts.start(starter, parser, body);
    }

    private static Lambda.HttpAnswer get(String checkId) {
        return Lambda.http(Events.getCheck(checkId));
    }

    @Test
    void anErasedCheckIsServedAsItsTombstone() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        eraser.erase(view.checkId(), ErasureScope.WORKFLOW, Deadline.in(Duration.ofSeconds(20)));
        sim.resetCounts();

        Lambda.HttpAnswer answer = get(view.checkId());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("ERASED");
        assertThat(answer.body().path("erasure").path("jumio").asText()).isEqualTo("DELETED");
        assertThat(answer.body().has("workflowExecutionId")).isFalse();
        JsonNode full = Lambda.http(Events.getCheckDetails(view.checkId())).body();
        assertThat(full.path("status").asText()).isEqualTo("ERASED");
        assertThat(full.path("liveCapabilities").isNull()).as("nothing live to show").isTrue();
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).as("no call to Jumio").isZero();
    }

    @Test
    void aPendingCheckIsServedWithoutAskingJumioBeforeTheThreshold() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        sim.resetCounts();

        Lambda.HttpAnswer answer = get(view.checkId());

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.path("checkId").asText()).isEqualTo(view.checkId());
        assertThat(body.path("status").asText()).isEqualTo("PENDING");
        assertThat(body.path("accountId").asText()).isEqualTo(view.accountId());
        assertThat(body.path("workflowExecutionId").asText()).isEqualTo(view.workflowExecutionId());
        assertThat(body.has("decision")).isFalse();
        assertThat(body.path("createdAt").asText()).isNotBlank();
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }

    @Test
    void aLostCallbackStillConvergesThroughReconciliation() throws Exception {
        sim.nextOutcome("WARNING", "MEDIUM_RISK", 55);
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        Thread.sleep(1_100);

        Lambda.HttpAnswer answer = get(view.checkId());

        assertThat(answer.body().path("status").asText()).as(answer.rawBody()).isEqualTo("PROCESSED");
        assertThat(answer.body().path("decision").path("type").asText()).isEqualTo("WARNING");
        assertThat(answer.body().path("decision").path("label").asText()).isEqualTo("MEDIUM_RISK");
        assertThat(answer.body().path("decision").path("riskScore").asInt()).isEqualTo(55);
        assertThat(answer.body().path("capabilities").get(0).path("name").asText()).isEqualTo("emailVerification");
        assertThat(answer.body().path("completedAt").asText()).isNotBlank();
        assertThat(sim.count(Endpoint.STATUS)).isEqualTo(1);
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);

        sim.resetCounts();
        assertThat(get(view.checkId()).body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum())
                .as("a processed check is served from the table").isZero();
    }

    @Test
    void anExpiredWorkflowIsFoundByReconciliation() throws Exception {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        sim.expire(view.workflowExecutionId(), "SESSION_EXPIRED");
        Thread.sleep(1_100);
        assertThat(get(view.checkId()).body().path("status").asText()).isEqualTo("SESSION_EXPIRED");
    }

    @Test
    void aRecordedCallbackWhoseDetailsFetchFailedIsFinishedHere() {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", AttributeValue.fromS("CHECK#" + view.checkId())))
                .updateExpression("SET callbackStatus = :p, detailsPending = :t")
                .expressionAttributeValues(
                        Map.of(":p", AttributeValue.fromS("PROCESSED"), ":t", AttributeValue.fromBool(true))));
        sim.resetCounts();

        Lambda.HttpAnswer answer = get(view.checkId());

        assertThat(answer.body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(answer.body().has("detailsPending")).isFalse();
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
        assertThat(sim.count(Endpoint.STATUS)).as("Jumio already said it is processed").isZero();
    }

    @Test
    void getsWithinAMinuteReachJumioOnlyAsOftenAsTheScheduleAllows() throws Exception {
        sim.processingDelayMillis(60_000);
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        Thread.sleep(1_100);
        for (int i = 0; i < 25; i++) {
            assertThat(get(view.checkId()).body().path("status").asText()).isEqualTo("PENDING");
        }
        assertThat(sim.count(Endpoint.STATUS)).as("slot 1 only").isEqualTo(1);
        Thread.sleep(4_100);
        for (int i = 0; i < 10; i++) {
            get(view.checkId());
        }
        assertThat(sim.count(Endpoint.STATUS)).as("slot 2 opens 4 s after slot 1").isEqualTo(2);
    }

    @Test
    void concurrentReadsDoNotStampedeJumio() throws Exception {
        sim.processingDelayMillis(60_000).delayNext(Endpoint.STATUS, 300, 1);
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        Thread.sleep(1_100);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        for (int i = 0; i < 12; i++) {
            pool.submit(() -> reader.read(view.checkId(), Deadline.in(Duration.ofSeconds(10))));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sim.count(Endpoint.STATUS)).isEqualTo(1);
    }

    @Test
    void unknownAndMalformedIds() {
        Lambda.HttpAnswer unknown = get("0b3e3a4c-1111-4222-8333-944455556666");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("content-type")).isEqualTo("application/problem+json");
        assertThat(unknown.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.CheckNotFound");

        Lambda.HttpAnswer malformed = get("not-a-check");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.header("content-type")).isEqualTo("application/problem+json");
        assertThat(malformed.body().path("errors").get(0).path("field").asText()).isEqualTo("checkId");
    }

    @Test
    void directInvocationFromStepFunctions() throws Exception {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        Thread.sleep(1_100);

        // Exactly what the state machine's PollRetrieve state sends: the id the execution chose, kept at $.checkId.
        JsonNode stateInput = Events.JSON.readTree("{\"checkId\":\"" + view.checkId()
                + "\",\"check\":{\"checkId\":\"" + view.checkId() + "\",\"status\":\"PENDING\"}}");
        Lambda.Result ok = Lambda.direct(AslPayloads.render("PollRetrieve", stateInput, null));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(ok.body().path("decision").path("type").asText()).isEqualTo("PASSED");

        assertThat(Lambda.direct("{\"checkId\":\"0b3e3a4c-1111-4222-8333-944455556666\"}").errorType())
                .isEqualTo("io.jumiorisk.errors.CheckNotFound");
        assertThat(Lambda.direct("{\"checkId\":\"../etc\"}").errorType())
                .isEqualTo("io.jumiorisk.errors.InvalidRequest");
        assertThat(Lambda.direct("{}").errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
    }

    @Test
    void theFullViewReturnsLiveDataAndStoresNone() throws Exception {
        CheckView view = startCheck(Checks.emailRisk(Checks.reference()));
        Thread.sleep(1_100);
        Lambda.HttpAnswer answer = Lambda.http(Events.getCheckDetails(view.checkId()));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("liveCapabilities").path("emailVerification").isArray()).isTrue();
        assertThat(answer.rawBody()).contains(Checks.EMAIL);
        assertThat(TestServices.item("CHECK#" + view.checkId()).toString()).doesNotContain(Checks.EMAIL);
        assertThat(Lambda.http(Events.getCheck(view.checkId()).query("view", "everything")).status()).isEqualTo(400);
    }
}
