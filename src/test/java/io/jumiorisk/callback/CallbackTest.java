package io.jumiorisk.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckEraser;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.sim.CallbackResult;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.AwsProxy;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Forgeries;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.Starts;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The callback function, through the Lambda event path. Checks are started with the start service itself (this
 * container serves only the callback handler); the simulator then delivers real callbacks over HTTP to an API
 * Gateway stand-in that invokes the handler.
 */
@QuarkusTest
@TestProfile(Profiles.Callback.class)
class CallbackTest {
    static final String JUMIO_IP = Forgeries.JUMIO_IP;

    final JumioSimulator sim = TestServices.simulator();

    @Inject
    CheckStarter starter;
    @Inject
    CheckEraser eraser;
    @Inject
    RequestParser parser;

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(true).callbackDelayMillis(100);
    }

    private CheckView startCheck() {
        return Starts.start(starter, parser, Checks.emailRisk(Checks.reference()));
    }

    private static Map<String, AttributeValue> check(String checkId) {
        return TestServices.item("CHECK#" + checkId);
    }

    private static String status(String checkId) {
        return check(checkId).get("status").s();
    }

    @Test
    void aGenuineCallbackLeadsToAStoredDecision() {
        sim.nextOutcome("REJECTED", "TXN_REJECTED", 100);
        CheckView view = startCheck();

        TestServices.await("the decision", () -> "PROCESSED".equals(status(view.checkId())));
        // The decision is stored before the handler answers, so the simulator may not have seen the 200 yet.
        TestServices.await("the callback's answer", () -> sim.callbackResults().size() == 1);

        Map<String, AttributeValue> item = check(view.checkId());
        Map<String, AttributeValue> decision = item.get("decision").m();
        assertThat(decision.get("type").s()).isEqualTo("REJECTED");
        assertThat(decision.get("label").s()).isEqualTo("TXN_REJECTED");
        assertThat(decision.get("riskScore").n()).isEqualTo("100");
        List<AttributeValue> capabilities = decision.get("capabilities").l();
        assertThat(capabilities).hasSize(1);
        assertThat(capabilities.get(0).m().get("name").s()).isEqualTo("emailVerification");
        assertThat(capabilities.get(0).m().get("type").s()).isEqualTo("REJECTED");
        assertThat(item.get("callbackStatus").s()).isEqualTo("PROCESSED");
        assertThat(item.get("detailsPending").bool()).isFalse();
        assertThat(item.toString()).as("capability data holds personal data").doesNotContain(Checks.EMAIL,
                "emailExists");
        assertThat(sim.callbackResults()).extracting(CallbackResult::httpStatus).containsExactly(200);
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
        var details = sim.requests(Endpoint.DETAILS).get(0);
        assertThat(details.header("Authorization")).startsWith("Bearer ");
        assertThat(details.path()).isEqualTo("/retrieval/api/v1/accounts/" + view.accountId() + "/workflow-executions/"
                + view.workflowExecutionId());
    }

    @Test
    void theSameCallbackThreeTimesMakesOneTransitionAndOneRetrieval() {
        sim.callbackDeliveries(3);
        CheckView view = startCheck();

        TestServices.await("three deliveries", () -> sim.callbackResults().size() == 3);
        TestServices.await("the decision", () -> "PROCESSED".equals(status(view.checkId())));

        assertThat(sim.callbackResults()).extracting(CallbackResult::httpStatus).containsExactly(200, 200, 200);
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
        assertThat(sim.count(Endpoint.STATUS)).isZero();
    }

    /** The decision is fetched first, then stored with the callback in one write; a duplicate costs nothing. */
    @Test
    void aProcessedCallbackIsOneWriteAndADuplicateNone() {
        sim.callbacks(false);
        CheckView view = startCheck();
        AwsProxy dynamodb = TestServices.dynamodb();
        try {
            dynamodb.delayNext("UpdateItem", b -> true, 10, 0);
            Lambda.HttpAnswer answer = Lambda.http(genuine(view, "PROCESSED"));
            assertThat(answer.body().path("status").asText()).isEqualTo("RECORDED");
            assertThat(10 - dynamodb.remaining()).as("callback and decision in one write").isEqualTo(1);

            Lambda.HttpAnswer again = Lambda.http(genuine(view, "PROCESSED"));
            assertThat(again.body().path("status").asText()).isEqualTo("IGNORED");
            assertThat(10 - dynamodb.remaining()).as("a duplicate writes nothing").isEqualTo(1);
        } finally {
            dynamodb.clear();
        }
        Map<String, AttributeValue> item = check(view.checkId());
        assertThat(item.get("status").s()).isEqualTo("PROCESSED");
        assertThat(item.get("callbackStatus").s()).isEqualTo("PROCESSED");
        assertThat(item.get("detailsPending").bool()).isFalse();
        assertThat(item.get("decision").m()).containsKey("type");
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
    }

    @Test
    void aStatusAfterTheEndIsIgnored() {
        CheckView view = startCheck();
        TestServices.await("the decision", () -> "PROCESSED".equals(status(view.checkId())));
        Map<String, AttributeValue> before = check(view.checkId());

        Lambda.HttpAnswer late = Lambda.http(genuine(view, "SESSION_EXPIRED"));

        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body().path("status").asText()).isEqualTo("IGNORED");
        assertThat(check(view.checkId())).isEqualTo(before);
    }

    @Test
    void aLateCallbackDoesNotBringAnErasedCheckBack() {
        sim.callbacks(false);
        CheckView view = startCheck();
        assertThat(
                eraser.erase(view.checkId(), ErasureScope.WORKFLOW, Deadline.in(Duration.ofSeconds(20))).status())
                .isEqualTo("ERASED");
        Map<String, AttributeValue> tombstone = check(view.checkId());
        sim.resetCounts();

        Lambda.HttpAnswer late = Lambda.http(genuine(view, "PROCESSED"));

        assertThat(late.status()).isEqualTo(200);
        assertThat(check(view.checkId())).isEqualTo(tombstone);
        // The pointer stays and leads to the tombstone, so nothing is asked at Jumio about the erased workflow.
        assertThat(TestServices.item("WX#" + view.workflowExecutionId()).get("checkId").s()).isEqualTo(view.checkId());
        assertThat(sim.count(Endpoint.DETAILS)).isZero();
        assertThat(sim.count(Endpoint.STATUS)).isZero();
    }

    @Test
    void aProcessedCallbackAfterExpiryIsIgnored() {
        sim.callbacks(false);
        CheckView view = startCheck();
        sim.expire(view.workflowExecutionId(), "TOKEN_EXPIRED");
        assertThat(Lambda.http(genuine(view, "TOKEN_EXPIRED")).status()).isEqualTo(200);
        assertThat(status(view.checkId())).isEqualTo("TOKEN_EXPIRED");

        Lambda.HttpAnswer late = Lambda.http(genuine(view, "PROCESSED"));

        assertThat(late.body().path("status").asText()).isEqualTo("IGNORED");
        assertThat(status(view.checkId())).isEqualTo("TOKEN_EXPIRED");
        assertThat(sim.count(Endpoint.DETAILS)).isZero();
    }

    @Test
    void aStaleExpiryCannotHideAProcessedResult() {
        sim.callbacks(false);
        CheckView view = startCheck();
        processedAtJumio(view);
        sim.resetCounts();

        Lambda.HttpAnswer answer = Lambda.http(genuine(view, "TOKEN_EXPIRED"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(sim.count(Endpoint.STATUS)).as("the expiry is confirmed with one status request").isEqualTo(1);
        assertThat(status(view.checkId())).isEqualTo("PROCESSED");
        assertThat(check(view.checkId())).containsKey("decision");
    }

    @Test
    void anExpiryThatJumioConfirmsEndsTheCheck() {
        sim.callbacks(false);
        CheckView view = startCheck();
        sim.expire(view.workflowExecutionId(), "SESSION_EXPIRED");
        sim.resetCounts();

        Lambda.HttpAnswer answer = Lambda.http(genuine(view, "SESSION_EXPIRED"));

        assertThat(answer.body().path("status").asText()).isEqualTo("RECORDED");
        assertThat(sim.count(Endpoint.STATUS)).isEqualTo(1);
        assertThat(status(view.checkId())).isEqualTo("SESSION_EXPIRED");
        assertThat(check(view.checkId()).get("callbackStatus").s()).isEqualTo("SESSION_EXPIRED");
    }

    @Test
    void aStatusWeDoNotKnowIsTakenAndSettledThroughTheStatusApi() {
        sim.callbacks(false).processingDelayMillis(60_000);
        CheckView running = startCheck();
        sim.processingDelayMillis(0);
        CheckView done = startCheck();
        processedAtJumio(done);
        sim.resetCounts();

        Lambda.HttpAnswer first = Lambda.http(genuine(running, "REVIEW_PENDING"));
        Lambda.HttpAnswer second = Lambda.http(genuine(done, "REVIEW_DONE"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(sim.count(Endpoint.STATUS)).as("one status request each").isEqualTo(2);
        assertThat(status(running.checkId())).as("Jumio still reports it running").isEqualTo("PENDING");
        assertThat(status(done.checkId())).isEqualTo("PROCESSED");
    }

    @Test
    void aCallbackIsTakenWhateverItsContentType() {
        sim.callbacks(false);
        CheckView plain = startCheck();
        CheckView none = startCheck();

        Lambda.HttpAnswer textPlain = Lambda.http(genuine(plain, "PROCESSED").header("content-type", "text/plain"));
        Lambda.HttpAnswer withoutType = Lambda.http(genuine(none, "PROCESSED").withoutHeader("content-type"));

        assertThat(textPlain.body().path("status").asText()).isEqualTo("RECORDED");
        assertThat(withoutType.body().path("status").asText()).isEqualTo("RECORDED");
        assertThat(status(plain.checkId())).isEqualTo("PROCESSED");
        assertThat(status(none.checkId())).isEqualTo("PROCESSED");
    }

    @Test
    void forgedCallbacksAreRefusedAndChangeNothing() {
        sim.callbacks(false);
        CheckView view = startCheck();
        List<Map<String, AttributeValue>> before = TestServices.allItems();
        String body = callbackBody(view, "PROCESSED");

        List<Forgeries.Forgery> forgeries = Forgeries.of(body, view.checkId(), TestServices.CALLBACK_TOKEN);
        for (Forgeries.Forgery forgery : forgeries) {
            Lambda.HttpAnswer answer = Lambda.http(forgery.event());
            assertThat(answer.status()).as(forgery.name()).isEqualTo(forgery.status());
            assertThat(answer.body().has("detail")).as(forgery.name() + " leaks no detail").isFalse();
        }
        assertThat(TestServices.allItems()).isEqualTo(before);
        assertThat(sim.count(Endpoint.DETAILS)).isZero();
    }

    @Test
    void aRetrievalFailureStillAnswers200AndLeavesTheDetailsPending() {
        sim.failNext(Endpoint.DETAILS, 503, 50);
        CheckView view = startCheck();

        TestServices.await("the callback", () -> sim.callbackResults().size() == 1);

        assertThat(sim.callbackResults().get(0).httpStatus()).isEqualTo(200);
        Map<String, AttributeValue> item = check(view.checkId());
        assertThat(item.get("callbackStatus").s()).isEqualTo("PROCESSED");
        assertThat(item.get("detailsPending").bool()).isTrue();
        assertThat(item.get("status").s()).isEqualTo("PENDING");
        assertThat(sim.count(Endpoint.DETAILS)).isGreaterThan(1);
    }

    @Test
    void malformedAndOversizedBodiesGet400AndChangeNothing() {
        sim.callbacks(false);
        CheckView view = startCheck();
        List<Map<String, AttributeValue>> before = TestServices.allItems();
        String id = view.checkId();
        Map<String, Events> bad = new java.util.LinkedHashMap<>();
        bad.put("malformed JSON",
                Events.callback("{\"workflowExecution\": {").signedFor(id).sourceIp(JUMIO_IP));
        bad.put("not an object", Events.callback("[]").signedFor(id).sourceIp(JUMIO_IP));
        bad.put("missing workflow id",
                Events.callback("{\"workflowExecution\":{\"status\":\"PROCESSED\"},\"account\":{\"id\":\""
                        + view.accountId() + "\"}}").signedFor(id).sourceIp(JUMIO_IP));
        bad.put("missing account id", Events.callback("{\"workflowExecution\":{\"id\":\"" + view.workflowExecutionId()
                + "\",\"status\":\"PROCESSED\"}}").signedFor(id).sourceIp(JUMIO_IP));
        bad.put("a status not in Jumio's form",
                Events.callback(callbackBody(view, "in progress!")).signedFor(id).sourceIp(JUMIO_IP));
        bad.put("oversized", Events
                .callback(callbackBody(view, "PROCESSED").replace("}}", "},\"pad\":\"" + "x".repeat(20_000) + "\"}")
                        .replaceFirst("}$", "}"))
                .signedFor(id).sourceIp(JUMIO_IP));
        bad.put("bad base64", Events.callback("!!!").signedFor(id).sourceIp(JUMIO_IP));
        for (Map.Entry<String, Events> e : bad.entrySet()) {
            String json = e.getValue().json();
            if (e.getKey().equals("bad base64")) {
                json = json.replace("\"isBase64Encoded\":false", "\"isBase64Encoded\":true");
            }
            Lambda.HttpAnswer answer = Lambda.http(json);
            assertThat(answer.status()).as(e.getKey()).isEqualTo(400);
        }
        assertThat(TestServices.allItems()).isEqualTo(before);
    }

    @Test
    void aBase64BodyIsAccepted() {
        sim.callbacks(false);
        CheckView view = startCheck();
        Lambda.HttpAnswer answer = Lambda.http(genuine(view, "PROCESSED").base64Body());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(status(view.checkId())).isEqualTo("PROCESSED");
    }

    @Test
    void aWorkflowThatIsNotOursIsA200NoOp() {
        List<Map<String, AttributeValue>> before = TestServices.allItems();
        String body = """
                {"callbackSentAt":"2025-06-17T15:27:30.123Z","workflowExecution":{"id":"11111111-2222-4333-8444-555555555555",
                 "status":"PROCESSED","definitionKey":"10066"},"account":{"id":"66666666-7777-4888-8999-000000000000"}}""";
        // A genuine key for a check id that has no check: nothing to trace the workflow to, so Jumio is not asked.
        Lambda.HttpAnswer noCheck = Lambda.http(
                Events.callback(body).signedFor("7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d").sourceIp(JUMIO_IP));
        assertThat(noCheck.status()).isEqualTo(200);
        assertThat(noCheck.body().path("status").asText()).isEqualTo("UNKNOWN_WORKFLOW");
        assertThat(sim.count(Endpoint.DETAILS)).isZero();

        // A check's genuine key with a workflow that check does not own: asked once whether an ambiguous account
        // request of that check left it behind; Jumio has no such workflow.
        sim.callbacks(false);
        CheckView view = startCheck();
        before = TestServices.allItems();
        sim.resetCounts();
        Lambda.HttpAnswer answer = Lambda.http(Events.callback(body).signedFor(view.checkId()).sourceIp(JUMIO_IP));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("UNKNOWN_WORKFLOW");
        assertThat(TestServices.allItems()).isEqualTo(before);
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
        assertThat(sim.count(Endpoint.DELETE)).isZero();
    }

    private void processedAtJumio(CheckView view) {
        TestServices.await("Jumio to finish processing",
                () -> "PROCESSED".equals(sim.workflowStatus(view.workflowExecutionId())));
    }

    private static Events genuine(CheckView view, String status) {
        return Events.callback(callbackBody(view, status)).signedFor(view.checkId()).sourceIp(JUMIO_IP);
    }

    private static String callbackBody(CheckView view, String status) {
        return """
                {"callbackSentAt":"2025-06-17T15:27:30.123Z","userReference":"user-42",
                 "workflowExecution":{"id":"%s","href":"https://evil.example.com/steal","definitionKey":"10066","status":"%s"},
                 "account":{"id":"%s","href":"https://evil.example.com/steal"}}"""
                .formatted(view.workflowExecutionId(), status, view.accountId());
    }
}
