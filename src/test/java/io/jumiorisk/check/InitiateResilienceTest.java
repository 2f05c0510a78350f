package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.Deadline;
import io.jumiorisk.errors.CheckInProgress;
import io.jumiorisk.jumio.AccessTokens;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.AwsProxy;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class InitiateResilienceTest {
    private static final String TRANSACTION_CONFLICT = io.jumiorisk.testing.DynamoFaults.TRANSACTION_CONFLICT.json();

    final JumioSimulator sim = TestServices.simulator();

    @Inject
    AccessTokens tokens;
    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    @Test
    void fiftyInitiationsInOneContainerCostOneTokenRequest() {
        sim.revokeAllTokens();
        for (int i = 0; i < 50; i++) {
            assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).status()).isEqualTo(202);
        }
        // The cached token was revoked above, so the first call learns it with a 401 and refreshes once.
        assertThat(sim.count(Endpoint.TOKEN)).isEqualTo(1);
        assertThat(sim.workflowIds()).hasSize(50);
    }

    @Test
    void concurrentCallersShareOneRefresh() throws Exception {
        sim.revokeAllTokens();
        String stale = tokens.bearer(Deadline.in(java.time.Duration.ofSeconds(10)));
        tokens.invalidate(stale);
        sim.reset().noRateLimits().delayNext(Endpoint.TOKEN, 300, 1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> tokens.bearer(Deadline.in(java.time.Duration.ofSeconds(10)))));
            }
            for (Future<String> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(results.get(0).get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sim.count(Endpoint.TOKEN)).isEqualTo(1);
    }

    @Test
    void anExpiredTokenIsRefreshedExactlyOnce() throws Exception {
        sim.tokenLifetimeSeconds(2).revokeAllTokens();
        assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).status()).isEqualTo(202);
        sim.resetCounts();
        Thread.sleep(2_100);
        assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).status()).isEqualTo(202);
        assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).status()).isEqualTo(202);
        assertThat(sim.count(Endpoint.TOKEN)).isEqualTo(1);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("no 401 was needed to notice the expiry").isEqualTo(2);
    }

    @Test
    void aRevokedTokenMidFlowLeadsToOneRefreshAndOneRetry() {
        sim.unauthorizedNext(Endpoint.ACCOUNT_CREATE, 1);
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.TOKEN)).isEqualTo(1);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(2);
        assertThat(sim.workflowIds()).hasSize(1);
    }

    @Test
    void aSecond401IsAClearFailureNotALoop() {
        sim.unauthorizedNext(Endpoint.ACCOUNT_CREATE, 5);
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body().path("detail").asText()).contains("HTTP 401");
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(2);
        assertThat(sim.count(Endpoint.TOKEN)).isEqualTo(1);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedHonouringRetryAfter() {
        sim.failNext(Endpoint.ACCOUNT_CREATE, 429, 1, 1).failNext(Endpoint.UPLOAD, 503, 2).failNext(Endpoint.FINALIZE,
                500, 1);
        long started = System.nanoTime();
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(2);
        assertThat(sim.count(Endpoint.UPLOAD)).isEqualTo(3);
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(2);
        assertThat(sim.workflowIds()).hasSize(1);
        assertThat(millis).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aHangingCallIsCutOffAndAnIdempotentOneRetried() {
        // Longer than the 8 s cap on one call: the upload times out once, and is repeated (it is safe to repeat).
        sim.delayNext(Endpoint.UPLOAD, 12_000, 1);
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.UPLOAD)).isEqualTo(2);
    }

    @Test
    void callsStopWithinTheInvocationDeadlineAndAnAccountCallIsNotRepeatedAfterATimeout() throws Exception {
        sim.delayNext(Endpoint.ACCOUNT_CREATE, 6_000, 1);
        CheckRequest request = parser.parse(Events.JSON.readTree(Checks.emailRisk(Checks.reference())),
                java.util.Set.of());
        long started = System.nanoTime();
        Throwable failure = null;
        try {
            starter.start(request, null, null, Deadline.in(java.time.Duration.ofSeconds(3)), "short-lived",
                    null);
        } catch (Throwable t) {
            failure = t;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(failure).isInstanceOf(io.jumiorisk.errors.JumioUnavailable.class);
        assertThat(millis).as("gave up inside the 3 s deadline, not after the 6 s hang").isLessThan(5_000);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("Jumio may have acted: not repeated").isEqualTo(1);
        // Let the simulator finish the hung request before the next test counts workflows.
        Thread.sleep(Math.max(0, 6_500 - millis));
    }

    @Test
    void persistentServerErrorsGive503AndARetryCreatesNoSecondTransaction() {
        String body = Checks.emailRisk(Checks.reference());
        sim.failNext(Endpoint.FINALIZE, 502, 100, 2);
        Lambda.HttpAnswer failed = Lambda.http(Events.postCheck(body));
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("retry-after")).isEqualTo("2");
        assertThat(failed.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.JumioUnavailable");

        sim.clearFaults().resetCounts();
        Lambda.HttpAnswer retried = Lambda.http(Events.postCheck(body));
        assertThat(retried.status()).as(retried.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("resumed at finalize").isZero();
        assertThat(sim.count(Endpoint.UPLOAD)).isZero();
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
    }

    @Test
    void persistentThrottlingOfTheAccountCallLeavesNothingAtJumio() {
        String body = Checks.emailRisk(Checks.reference());
        sim.failNext(Endpoint.ACCOUNT_CREATE, 503, 100);
        assertThat(Lambda.http(Events.postCheck(body)).status()).isEqualTo(503);
        assertThat(sim.workflowIds()).isEmpty();
        sim.reset().noRateLimits().callbacks(false);
        assertThat(Lambda.http(Events.postCheck(body)).status()).isEqualTo(202);
        assertThat(sim.workflowIds()).hasSize(1);
    }

    @Test
    void aRepeatWithTheSameKeyAndBodyReturnsTheSameCheckAndCallsNothing() {
        String key = "key-" + Checks.reference();
        String ref = Checks.reference();
        Lambda.HttpAnswer first = Lambda.http(Events.postCheck(Checks.emailRisk(ref)).header("Idempotency-Key", key));
        sim.reset().noRateLimits().callbacks(false);
        // Field order and whitespace do not make it a different body.
        String reordered = """
                { "preparedData": { "ipAddress": "198.51.100.23", "email": "%s" },
                  "workflowDefinitionKey": 10066, "userReference": "user-42", "customerInternalReference": "%s" }"""
                .formatted(Checks.EMAIL, ref);
        Lambda.HttpAnswer again = Lambda.http(Events.postCheck(reordered).header("Idempotency-Key", key));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("checkId").asText()).isEqualTo(first.body().path("checkId").asText());
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String s) {
        try {
            return Events.JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void customerReferenceIsTheKeyWhenNoHeaderIsSent() {
        String ref = Checks.reference();
        Lambda.HttpAnswer first = Lambda.http(Events.postCheck(Checks.emailRisk(ref)));
        Lambda.HttpAnswer again = Lambda.http(Events.postCheck(Checks.emailRisk(ref)));
        assertThat(again.body().path("checkId").asText()).isEqualTo(first.body().path("checkId").asText());
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);

        Lambda.HttpAnswer conflict = Lambda.http(Events.postCheck(Checks.phoneRisk(ref)));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.IdempotencyConflict");
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
    }

    @Test
    void concurrentDuplicatesStartOneTransaction() throws Exception {
        sim.delayNext(Endpoint.ACCOUNT_CREATE, 500, 1);
        String body = Checks.emailRisk(Checks.reference());
        CheckRequest request = parser.parse(Events.JSON.readTree(body), java.util.Set.of());
        int callers = 6;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        for (int i = 0; i < callers; i++) {
            int n = i;
            pool.submit(() -> {
                try {
                    go.await();
                    outcomes.add(starter.start(request, null, null, Deadline.in(java.time.Duration.ofSeconds(20)),
                            "caller-" + n, null));
                } catch (Throwable t) {
                    outcomes.add(t);
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.workflowIds()).hasSize(1);
        assertThat(outcomes).hasSize(callers);
        assertThat(outcomes).allMatch(o -> o instanceof CheckView || o instanceof CheckInProgress,
                "a view or 'in progress'");
        assertThat(outcomes).filteredOn(o -> o instanceof CheckView).isNotEmpty();
    }

    /**
     * A duplicate that finds the start under way, and asks for the lease only once the start has been finalized, has
     * nothing left to do: it returns the check as it is, and neither calls Jumio nor marks the check failed.
     */
    @Test
    void aDuplicateThatArrivesAsTheStartEndsLeavesItAlone() throws Exception {
        AwsProxy dynamodb = TestServices.dynamodb();
        CheckRequest request = parser.parse(Events.JSON.readTree(Checks.emailRisk(Checks.reference())),
                java.util.Set.of());
        sim.delayNext(Endpoint.FINALIZE, 1_000, 1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CheckView> first = pool.submit(
                    () -> starter.start(request, null, null, Deadline.in(java.time.Duration.ofSeconds(20)), "first",
                            null));
            TestServices.await("the first start to reach finalize", () -> sim.count(Endpoint.FINALIZE) == 1);
            // The lease request is the one write that names :nowMs; it reaches DynamoDB after finalize is recorded.
            dynamodb.delayNext("UpdateItem", body -> body.contains(":nowMs"), 1, 2_000);

            CheckView second = starter.start(request, null, null, Deadline.in(java.time.Duration.ofSeconds(20)),
                    "second", null);

            CheckView firstView = first.get(10, TimeUnit.SECONDS);
            assertThat(dynamodb.remaining()).as("the lease request was delayed").isZero();
            assertThat(second.checkId()).isEqualTo(firstView.checkId());
            assertThat(second.status()).isEqualTo("PENDING");
            Map<String, AttributeValue> stored = TestServices.item("CHECK#" + second.checkId());
            assertThat(stored.get("status").s()).isEqualTo("PENDING");
            assertThat(stored.get("step").s()).isEqualTo("FINALIZED");
            assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
            assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
        } finally {
            dynamodb.clear();
            pool.shutdownNow();
        }
    }

    /**
     * DynamoDB refuses a write that meets another in flight on the same item (moto never does): a duplicate request's
     * lease attempt can make the transaction that records the started workflow fail. Losing that record would make
     * the next retry start a second workflow, so such refusals are retried and the start completes once.
     */
    @Test
    void writesRefusedForAConcurrentWriteAreRetried() {
        AwsProxy dynamodb = TestServices.dynamodb();
        String inTransaction = """
                {"__type":"com.amazonaws.dynamodb.v20120810#TransactionConflictException",
                 "message":"Transaction is ongoing for the item"}""";
        try {
            dynamodb.answerNext("TransactWriteItems", body -> body.contains("IDEM#"), 2, 400, TRANSACTION_CONFLICT);
            dynamodb.answerNext("TransactWriteItems", body -> body.contains("WX#"), 3, 400, TRANSACTION_CONFLICT);
            // The upload has no write of its own since finalize records both; its write is the one refused here.
            dynamodb.answerNext("UpdateItem", body -> body.contains(":to\":{\"S\":\"FINALIZED"), 2, 400, inTransaction);

            Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

            assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
            assertThat(dynamodb.remaining()).as("every refusal was met").isZero();
            assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
            assertThat(sim.count(Endpoint.UPLOAD)).isEqualTo(1);
            assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
            String checkId = answer.body().path("checkId").asText();
            Map<String, AttributeValue> check = TestServices.item("CHECK#" + checkId);
            assertThat(check.get("step").s()).isEqualTo("FINALIZED");
            String workflow = check.get("workflowExecutionId").s();
            assertThat(TestServices.item("WX#" + workflow).get("checkId").s()).isEqualTo(checkId);
        } finally {
            dynamodb.clear();
        }
    }

    /** When the refusals outlast the retries, the caller gets a failure to retry, and the retry resumes. */
    @Test
    void persistentRefusalsOfTheFirstRecordFailWithoutCallingJumio() {
        AwsProxy dynamodb = TestServices.dynamodb();
        String body = Checks.emailRisk(Checks.reference());
        try {
            dynamodb.answerNext("TransactWriteItems", b -> b.contains("IDEM#"), 5, 400, TRANSACTION_CONFLICT);
            Lambda.HttpAnswer failed = Lambda.http(Events.postCheck(body));
            assertThat(failed.status()).as(failed.rawBody()).isEqualTo(503);
            assertThat(failed.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.StoreUnavailable");
            assertThat(failed.rawBody()).doesNotContain("IDEM#");
            assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isZero();
        } finally {
            dynamodb.clear();
        }
        assertThat(Lambda.http(Events.postCheck(body)).status()).isEqualTo(202);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
    }

    /**
     * A crash after each recorded step: the step fails, and the item is then left as a dead invocation leaves it, with
     * its lease held until its Lambda deadline. While the lease runs, a retry is told to come back; once it has run
     * out, the retry resumes from the step reached and repeats none of the earlier calls.
     */
    @Test
    void aCrashBetweenAnyTwoStepsIsResumedByARetry() {
        record Crash(Endpoint failing, int accounts, int uploads) {
        }
        for (Crash crash : List.of(new Crash(Endpoint.ACCOUNT_CREATE, 1, 1), new Crash(Endpoint.UPLOAD, 0, 1),
                new Crash(Endpoint.FINALIZE, 0, 0))) {
            sim.reset().noRateLimits().callbacks(false);
            String body = Checks.emailRisk(Checks.reference());
            sim.failNext(crash.failing(), 503, 100);
            Lambda.HttpAnswer failed = Lambda.http(Events.postCheck(body));
            assertThat(failed.status()).isEqualTo(503);
            String checkId = failed.body().path("checkId").asText();
            io.jumiorisk.testing.Leases.hold(checkId, System.currentTimeMillis() + 60_000);

            sim.clearFaults().resetCounts();
            Lambda.HttpAnswer busy = Lambda.http(Events.postCheck(body));
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.CheckInProgress");
            assertThat(busy.header("retry-after")).isNotNull();

            io.jumiorisk.testing.Leases.hold(checkId, System.currentTimeMillis() - 1);
            Lambda.HttpAnswer resumed = Lambda.http(Events.postCheck(body));
            assertThat(resumed.status()).as(crash + " " + resumed.rawBody()).isEqualTo(202);
            assertThat(resumed.body().path("checkId").asText()).isEqualTo(checkId);
            assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as(crash.toString()).isEqualTo(crash.accounts());
            assertThat(sim.count(Endpoint.UPLOAD)).as(crash.toString()).isEqualTo(crash.uploads());
            assertThat(sim.count(Endpoint.FINALIZE)).as(crash.toString()).isEqualTo(1);
            assertThat(TestServices.item("CHECK#" + checkId).get("step").s()).isEqualTo("FINALIZED");
        }
    }

    /**
     * The upload has no DynamoDB write of its own (finalize's write covers it): a start is two transactions and one
     * update. Only when finalize fails after the upload is the upload recorded, so that the retry only finalizes.
     */
    @Test
    void theUploadIsRecordedOnlyWhenFinalizeFails() {
        AwsProxy dynamodb = TestServices.dynamodb();
        try {
            dynamodb.delayNext("UpdateItem", b -> b.contains(":to\":{\"S\":\"DATA_UPLOADED"), 1, 0);
            Lambda.HttpAnswer ok = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));
            assertThat(ok.status()).as(ok.rawBody()).isEqualTo(202);
            assertThat(dynamodb.remaining()).as("no write for the upload on the way to finalize").isEqualTo(1);
            assertThat(TestServices.item("CHECK#" + ok.body().path("checkId").asText()).get("step").s())
                    .isEqualTo("FINALIZED");

            String body = Checks.emailRisk(Checks.reference());
            sim.failNext(Endpoint.FINALIZE, 503, 100);
            Lambda.HttpAnswer failed = Lambda.http(Events.postCheck(body));
            assertThat(failed.status()).isEqualTo(503);
            assertThat(dynamodb.remaining()).as("the upload recorded when finalize failed").isZero();
            String checkId = failed.body().path("checkId").asText();
            assertThat(TestServices.item("CHECK#" + checkId).get("step").s()).isEqualTo("DATA_UPLOADED");

            sim.clearFaults().resetCounts();
            assertThat(Lambda.http(Events.postCheck(body)).status()).isEqualTo(202);
            assertThat(sim.count(Endpoint.UPLOAD)).isZero();
            assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
        } finally {
            dynamodb.clear();
        }
    }

    /**
     * A start that finalized at Jumio but died before recording it is left at WORKFLOW_STARTED. Jumio refuses the
     * retry's upload to the finalized workflow; finalize then answers that it was finalized, and the start completes
     * with the one workflow it had.
     */
    @Test
    void aStartThatDiedAfterFinalizingIsCompletedByItsRetry() {
        AwsProxy dynamodb = TestServices.dynamodb();
        String body = Checks.emailRisk(Checks.reference());
        try {
            dynamodb.answerNext("UpdateItem", b -> b.contains(":to\":{\"S\":\"FINALIZED"), 1, 400,
                    """
                            {"__type":"com.amazon.coral.validate#ValidationException","message":"injected: the write is lost"}""");
            Lambda.HttpAnswer failed = Lambda.http(Events.postCheck(body));
            assertThat(failed.status()).as(failed.rawBody()).isEqualTo(500);
            assertThat(dynamodb.remaining()).isZero();
        } finally {
            dynamodb.clear();
        }
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);

        Lambda.HttpAnswer resumed = Lambda.http(Events.postCheck(body));

        assertThat(resumed.status()).as(resumed.rawBody()).isEqualTo(202);
        assertThat(TestServices.item("CHECK#" + resumed.body().path("checkId").asText()).get("step").s())
                .isEqualTo("FINALIZED");
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.workflowIds()).hasSize(1);
        assertThat(sim.count(Endpoint.UPLOAD)).as("one accepted, one refused after finalize").isEqualTo(2);
        // What a refused upload after finalize means is Jumio's status to say, not a second finalize's.
        assertThat(sim.count(Endpoint.STATUS)).isEqualTo(1);
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
    }

    /** On a resume, an upload that Jumio refuses for its data is still a failure when finalize is refused too. */
    @Test
    void aResumedUploadThatIsRefusedFailsTheCheck() {
        AwsProxy dynamodb = TestServices.dynamodb();
        String body = Checks.emailRisk(Checks.reference());
        sim.failNext(Endpoint.UPLOAD, 503, 100);
        Lambda.HttpAnswer failed = Lambda.http(Events.postCheck(body));
        assertThat(failed.status()).isEqualTo(503);
        sim.clearFaults().failNext(Endpoint.UPLOAD, 400, 1);

        Lambda.HttpAnswer refused = Lambda.http(Events.postCheck(body));

        assertThat(refused.status()).as(refused.rawBody()).isEqualTo(502);
        String checkId = failed.body().path("checkId").asText();
        assertThat(TestServices.item("CHECK#" + checkId).get("failureReason").s()).isEqualTo("JUMIO_400_UPLOAD");
        assertThat(sim.workflowIds()).hasSize(1);
        assertThat(dynamodb.remaining()).isZero();
    }
}
