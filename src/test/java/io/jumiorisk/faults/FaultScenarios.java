package io.jumiorisk.faults;

import static io.jumiorisk.faults.Category.FAULT;
import static io.jumiorisk.faults.Scenario.Handler.CALLBACK;
import static io.jumiorisk.faults.Scenario.Handler.INITIATE;
import static io.jumiorisk.faults.Scenario.Handler.RETRIEVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.jumiorisk.check.CheckView;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.sim.AfterProcessing;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.testing.DynamoFaults;
import io.jumiorisk.testing.DynamoFaults.Answer;
import io.jumiorisk.testing.DynamoFaults.Write;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Leases;
import io.jumiorisk.testing.MotoStepFunctions;
import io.jumiorisk.testing.TestServices;

/** Jumio, DynamoDB and Step Functions misbehaving; the process dying; callbacks repeated, reordered or lost; races. */
final class FaultScenarios {
    private static final String UNAVAILABLE = "io.jumiorisk.errors.JumioUnavailable";
    private static final String IN_PROGRESS = "io.jumiorisk.errors.CheckInProgress";

    private FaultScenarios() {
    }

    static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        // ---- Jumio: 429 with Retry-After at each step
        s.add(absorbed("F01", "429 with Retry-After: 1 at the token endpoint", Endpoint.TOKEN, 429, 1, 1, true));
        s.add(absorbed("F02", "429 with Retry-After: 1 at account create", Endpoint.ACCOUNT_CREATE, 429, 1, 1, false));
        s.add(absorbed("F03", "429 with Retry-After: 1 at the prepared-data upload", Endpoint.UPLOAD, 429, 1, 1,
                false));
        s.add(absorbed("F04", "429 with Retry-After: 1 at finalize", Endpoint.FINALIZE, 429, 1, 1, false));
        // ---- Jumio: 5xx bursts at each step
        s.add(absorbed("F05", "503 burst (x2) at the token endpoint", Endpoint.TOKEN, 503, 2, null, true));
        s.add(new Scenario("F06", FAULT, INITIATE, "500 burst (x2) at account create",
                "each 500 is ambiguous: recorded, 503 with Retry-After, never repeated blindly; the client's third"
                        + " try gives 202; two attempts on record; one workflow",
                run -> {
                    run.sim.failNext(Endpoint.ACCOUNT_CREATE, 500, 2);
                    for (int i = 0; i < 2; i++) {
                        Lambda.HttpAnswer ambiguous = run.post(run.ekyc());
                        unavailable(ambiguous);
                        assertThat(ambiguous.header("retry-after")).isNotNull();
                    }
                    Lambda.HttpAnswer done = accepted(run, run.post(run.ekyc()));
                    assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(3);
                    assertThat(done.body().path("startAttempts")).hasSize(2);
                    assertThat(done.body().path("startAttempts").get(0).path("answer").asText()).isEqualTo("HTTP_500");
                }));
        s.add(absorbed("F07", "502 burst (x2) at the prepared-data upload", Endpoint.UPLOAD, 502, 2, null, false));
        s.add(absorbed("F08", "504 burst (x2) at finalize", Endpoint.FINALIZE, 504, 2, null, false));
        // ---- slow responses and timeouts
        s.add(new Scenario("F09", FAULT, INITIATE, "slow token endpoint (3 s)", "202; one workflow", run -> {
            run.sim.revokeAllTokens();
            run.sim.delayNext(Endpoint.TOKEN, 3_000, 1);
            accepted(run, run.post(run.ekyc()));
        }));
        s.add(new Scenario("F10", FAULT, INITIATE, "slow account create (3 s, under the 8 s cap)",
                "202; account create sent once; one workflow", run -> {
                    run.sim.delayNext(Endpoint.ACCOUNT_CREATE, 3_000, 1);
                    accepted(run, run.post(run.ekyc()));
                    assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
                }));
        s.add(new Scenario("F11", FAULT, INITIATE, "upload hangs past the 8 s per-call timeout",
                "202; the upload (safe to repeat) is sent again; one workflow", run -> {
                    run.sim.delayNext(Endpoint.UPLOAD, 12_000, 1);
                    accepted(run, run.post(run.ekyc()));
                    assertThat(run.sim.count(Endpoint.UPLOAD)).isEqualTo(2);
                }));
        // ---- 401 in the middle of a flow
        s.add(new Scenario("F12", FAULT, INITIATE, "401 at account create (access token revoked mid-flow)",
                "202; one token refresh, account create repeated once; one workflow", run -> {
                    run.sim.unauthorizedNext(Endpoint.ACCOUNT_CREATE, 1);
                    accepted(run, run.post(run.ekyc()));
                    assertThat(run.sim.count(Endpoint.TOKEN)).isEqualTo(1);
                    assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(2);
                }));
        s.add(new Scenario("F13", FAULT, INITIATE, "401 at the upload (workflow token refused)",
                "502 JumioRejected; the check is FAILED (JUMIO_401_UPLOAD); a repeat is refused the same way", run -> {
                    run.sim.unauthorizedNext(Endpoint.UPLOAD, 1);
                    Lambda.HttpAnswer answer = run.post(run.ekyc());
                    assertThat(answer.status()).as(answer.rawBody()).isEqualTo(502);
                    assertThat(answer.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.JumioRejected");
                    String checkId = run.sim.workflowIds().isEmpty()
                            ? null
                            : TestServices.item("WX#" + run.sim.workflowIds().iterator().next()).get("checkId").s();
                    assertThat(Run.status(checkId)).isEqualTo("FAILED");
                    assertThat(Run.attr(checkId, "failureReason")).isEqualTo("JUMIO_401_UPLOAD");
                    assertThat(run.post(run.ekyc()).status()).isEqualTo(502);
                    assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
                }));
        // ---- the token endpoint down; throttling past the time left; persistent 5xx
        s.add(new Scenario("F14", FAULT, INITIATE, "token endpoint down (503 on every request)",
                "503 JumioUnavailable; nothing started at Jumio; the same request later gives 202 with one workflow",
                run -> {
                    run.sim.revokeAllTokens();
                    run.sim.failNext(Endpoint.TOKEN, 503, 1_000);
                    Lambda.HttpAnswer failed = run.post(run.ekyc());
                    unavailable(failed);
                    assertThat(run.sim.workflowIds()).isEmpty();
                    run.sim.clearFaults();
                    accepted(run, run.post(run.ekyc()));
                }));
        s.add(new Scenario("F15", FAULT, INITIATE,
                "429 at account create with a Retry-After (120 s) past the time left",
                "503 at once with Retry-After: 120; nothing started; a later retry gives 202 with one workflow",
                run -> {
                    run.sim.failNext(Endpoint.ACCOUNT_CREATE, 429, 1, 120);
                    Lambda.HttpAnswer failed = run.post(run.ekyc());
                    unavailable(failed);
                    assertThat(failed.header("retry-after")).isEqualTo("120");
                    assertThat(run.sim.workflowIds()).isEmpty();
                    accepted(run, run.post(run.ekyc()));
                }));
        s.add(new Scenario("F16", FAULT, INITIATE, "502 at finalize on every attempt",
                "503 naming the checkId; the retry resumes at finalize: no second account call", run -> {
                    run.sim.failNext(Endpoint.FINALIZE, 502, 1_000);
                    Lambda.HttpAnswer failed = run.post(run.ekyc());
                    unavailable(failed);
                    String checkId = failed.body().path("checkId").asText();
                    run.sim.clearFaults().resetCounts();
                    Lambda.HttpAnswer retried = accepted(run, run.post(run.ekyc()));
                    assertThat(retried.body().path("checkId").asText()).isEqualTo(checkId);
                    assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).isZero();
                }));
        // ---- DynamoDB: short bursts, absorbed by the SDK's and our own retries
        s.add(dynamoBurst("F17", DynamoFaults.FIRST_RECORD, DynamoFaults.PROVISIONED_THROUGHPUT_EXCEEDED, 2));
        s.add(dynamoBurst("F18", DynamoFaults.WORKFLOW_STARTED, DynamoFaults.THROTTLING, 2));
        s.add(dynamoBurst("F19", DynamoFaults.FINALIZED, DynamoFaults.INTERNAL_SERVER_ERROR, 2));
        s.add(dynamoBurst("F20", DynamoFaults.FINALIZED, DynamoFaults.IN_TRANSACTION, 3));
        s.add(dynamoBurst("F21", DynamoFaults.WORKFLOW_STARTED, DynamoFaults.TRANSACTION_CONFLICT, 3));
        // ---- DynamoDB: a persistent outage at each write
        s.add(dynamoOutage("F22", DynamoFaults.FIRST_RECORD, DynamoFaults.UNAVAILABLE));
        s.add(dynamoOutage("F23", DynamoFaults.WORKFLOW_STARTED, DynamoFaults.PROVISIONED_THROUGHPUT_EXCEEDED));
        s.add(dynamoOutage("F24", DynamoFaults.FINALIZED, DynamoFaults.INTERNAL_SERVER_ERROR));
        s.add(dynamoOutage("F25", DynamoFaults.FINALIZED, DynamoFaults.THROTTLING));
        // ---- the process dying between each pair of steps, then retried
        s.add(crash("F26", "the process dies after recording the check, before account create", Endpoint.ACCOUNT_CREATE,
                1, 1));
        s.add(crash("F27", "the process dies after the workflow started, before the upload", Endpoint.UPLOAD, 0, 1));
        s.add(crash("F28", "the process dies after the upload, before finalize", Endpoint.FINALIZE, 0, 0));
        // ---- two concurrent initiations with the same key
        s.add(new Scenario("F29", FAULT, INITIATE, "two concurrent initiations with the same key",
                "the second gets 409 CheckInProgress with Retry-After; once the first is done a retry gets 202 with the same check; one workflow",
                run -> {
                    // Long enough for the second request to arrive mid-flight on a slow, shared machine.
                    run.sim.delayNext(Endpoint.ACCOUNT_CREATE, 6_000, 1);
                    ExecutorService pool = Executors.newSingleThreadExecutor();
                    try {
                        Future<CheckView> first = pool.submit(() -> run.start(run.ekyc()));
                        Run.await("the first start to reach Jumio", () -> run.sim.count(Endpoint.ACCOUNT_CREATE) == 1);
                        Lambda.HttpAnswer second = run.post(run.ekyc());
                        assertThat(second.status()).as(second.rawBody()).isEqualTo(409);
                        assertThat(second.body().path("errorType").asText()).isEqualTo(IN_PROGRESS);
                        assertThat(second.header("retry-after")).isNotNull();
                        CheckView done = first.get(60, TimeUnit.SECONDS);
                        Lambda.HttpAnswer again = accepted(run, run.post(run.ekyc()));
                        assertThat(again.body().path("checkId").asText()).isEqualTo(done.checkId());
                        assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
                    } finally {
                        pool.shutdownNow();
                    }
                }));
        // ---- DynamoDB outages under a Step Functions start (direct invocation)
        s.add(directOutage("F49", DynamoFaults.FIRST_RECORD, DynamoFaults.UNAVAILABLE));
        s.add(directOutage("F50", DynamoFaults.WORKFLOW_STARTED, DynamoFaults.PROVISIONED_THROUGHPUT_EXCEEDED));
        // ---- callbacks: duplicate, out of order, before the start ends, lost
        s.add(new Scenario("F30", FAULT, CALLBACK, "the same PROCESSED callback delivered three times",
                "200 each time; one transition, one details fetch; PROCESSED", run -> {
                    run.sim.callbackDeliveries(3);
                    CheckView view = run.start(run.ekyc());
                    Run.await("three deliveries", () -> run.sim.callbackResults().size() == 3);
                    Run.await("the decision", () -> "PROCESSED".equals(Run.status(view.checkId())));
                    assertThat(run.sim.callbackResults()).allMatch(r -> r.httpStatus() == 200);
                    assertThat(run.sim.count(Endpoint.DETAILS)).isEqualTo(1);
                }));
        s.add(new Scenario("F31", FAULT, CALLBACK, "SESSION_EXPIRED arrives after PROCESSED (out of order)",
                "200 IGNORED; the check stays PROCESSED", run -> {
                    CheckView view = run.start(run.ekyc());
                    Run.await("the decision", () -> "PROCESSED".equals(Run.status(view.checkId())));
                    Lambda.HttpAnswer late = run.http(Run.callback(view, "SESSION_EXPIRED"));
                    assertThat(late.status()).isEqualTo(200);
                    assertThat(late.body().path("status").asText()).isEqualTo("IGNORED");
                    assertThat(Run.status(view.checkId())).isEqualTo("PROCESSED");
                }));
        s.add(new Scenario("F32", FAULT, CALLBACK, "PROCESSED arrives after TOKEN_EXPIRED (out of order)",
                "200 IGNORED; the check stays TOKEN_EXPIRED; no details fetched", run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    run.sim.expire(view.workflowExecutionId(), "TOKEN_EXPIRED");
                    assertThat(run.http(Run.callback(view, "TOKEN_EXPIRED")).status()).isEqualTo(200);
                    Lambda.HttpAnswer late = run.http(Run.callback(view, "PROCESSED"));
                    assertThat(late.body().path("status").asText()).isEqualTo("IGNORED");
                    assertThat(Run.status(view.checkId())).isEqualTo("TOKEN_EXPIRED");
                    assertThat(run.sim.count(Endpoint.DETAILS)).isZero();
                }));
        s.add(new Scenario("F33", FAULT, CALLBACK, "the callback arrives before the start has recorded finalize",
                "200; the decision is stored; the start still completes (step FINALIZED); PROCESSED", run -> {
                    run.sim.callbackDelayMillis(0);
                    TestServices.dynamodb().delayNext(DynamoFaults.FINALIZED.action(), DynamoFaults.FINALIZED.body(), 1,
                            2_500);
                    CheckView view = run.start(run.ekyc());
                    Run.await("the decision", () -> "PROCESSED".equals(Run.status(view.checkId())));
                    assertThat(Run.attr(view.checkId(), "step")).isEqualTo("FINALIZED");
                    assertThat(run.sim.callbackResults()).allMatch(r -> r.httpStatus() == 200);
                }));
        s.add(new Scenario("F34", FAULT, CALLBACK, "details fetch answers 503 on every attempt after the callback",
                "200 to Jumio; callback recorded, detailsPending; the check stays PENDING for the next read", run -> {
                    run.sim.failNext(Endpoint.DETAILS, 503, 1_000);
                    CheckView view = run.start(run.ekyc());
                    Run.await("the callback", () -> run.sim.callbackResults().size() == 1);
                    assertThat(run.sim.callbackResults().get(0).httpStatus()).isEqualTo(200);
                    assertThat(Run.attr(view.checkId(), "detailsPending")).isEqualTo("true");
                    assertThat(Run.status(view.checkId())).isEqualTo("PENDING");
                }));
        s.add(new Scenario("F35", FAULT, CALLBACK, "401 at the details fetch (access token revoked mid-flow)",
                "one refresh and one repeat; PROCESSED", run -> {
                    run.sim.unauthorizedNext(Endpoint.DETAILS, 1);
                    CheckView view = run.start(run.ekyc());
                    Run.await("the decision", () -> "PROCESSED".equals(Run.status(view.checkId())));
                    assertThat(run.sim.count(Endpoint.DETAILS)).isEqualTo(2);
                }));
        s.add(new Scenario("F36", FAULT, CALLBACK, "429 with Retry-After: 1 at the details fetch",
                "retried after 1 s; PROCESSED", run -> {
                    run.sim.failNext(Endpoint.DETAILS, 429, 1, 1);
                    CheckView view = run.start(run.ekyc());
                    Run.await("the decision", () -> "PROCESSED".equals(Run.status(view.checkId())));
                    assertThat(run.sim.count(Endpoint.DETAILS)).isEqualTo(2);
                }));
        s.add(new Scenario("F37", FAULT, CALLBACK, "details fetch slower (8 s) than the callback's 3 s budget",
                "200 to Jumio within budget; detailsPending; PENDING", run -> {
                    run.sim.delayNext(Endpoint.DETAILS, 8_000, 5);
                    CheckView view = run.start(run.ekyc());
                    Run.await("the callback", () -> run.sim.callbackResults().size() == 1);
                    assertThat(run.sim.callbackResults().get(0).httpStatus()).isEqualTo(200);
                    assertThat(Run.attr(view.checkId(), "detailsPending")).isEqualTo("true");
                    Run.pause(8_500);
                }));
        s.add(new Scenario("F38", FAULT, CALLBACK, "DynamoDB throttles (x2) the callback's record write",
                "200; PROCESSED", run -> {
                    DynamoFaults.refuse(DynamoFaults.CALLBACK, DynamoFaults.PROVISIONED_THROUGHPUT_EXCEEDED, 2);
                    CheckView view = run.start(run.ekyc());
                    Run.await("the decision", () -> "PROCESSED".equals(Run.status(view.checkId())));
                }));
        s.add(new Scenario("F39", FAULT, CALLBACK, "DynamoDB unavailable for the callback's record write",
                "503 (deliver again) and nothing recorded; the redelivery gives 200 and PROCESSED", run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    DynamoFaults.refuse(DynamoFaults.CALLBACK, DynamoFaults.UNAVAILABLE, 1_000);
                    Lambda.HttpAnswer refused = run.http(Run.callback(view, "PROCESSED"));
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(Run.attr(view.checkId(), "callbackStatus")).isNull();
                    TestServices.dynamodb().clear();
                    assertThat(run.http(Run.callback(view, "PROCESSED")).status()).isEqualTo(200);
                    assertThat(Run.status(view.checkId())).isEqualTo("PROCESSED");
                }));
        s.add(new Scenario("F40", FAULT, CALLBACK, "DynamoDB unavailable when the decision is stored",
                "200 (the callback is recorded); detailsPending, PENDING: the next read finishes it", run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    DynamoFaults.refuse(DynamoFaults.DECISION, DynamoFaults.UNAVAILABLE, 1_000);
                    Lambda.HttpAnswer answer = run.http(Run.callback(view, "PROCESSED"));
                    assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
                    assertThat(Run.attr(view.checkId(), "callbackStatus")).isEqualTo("PROCESSED");
                    assertThat(Run.attr(view.checkId(), "detailsPending")).isEqualTo("true");
                    assertThat(Run.status(view.checkId())).isEqualTo("PENDING");
                }));
        s.add(new Scenario("F41", FAULT, CALLBACK,
                "the Step Functions task has already timed out when the check completes",
                "the completion is refused for good: taskState ABANDONED, sent once, never retried; the check is PROCESSED",
                run -> {
                    try (MotoStepFunctions sfn = stepFunctions()) {
                        MotoStepFunctions.WaitingTask task = sfn.waitingTask(1);
                        assertThat(sfn.awaitExecution(task.executionArn(), Duration.ofSeconds(30)).error())
                                .isEqualTo("States.Timeout");
                        TestServices.sfn().clear();
                        CheckView view = run.start(run.ekyc(), task.taskToken());
                        run.taskToken(task.taskToken());
                        Run.await("the task outcome", () -> Run.attr(view.checkId(), "taskOutcome") != null);
                        assertThat(Run.attr(view.checkId(), "taskState")).isEqualTo("ABANDONED");
                        assertThat(Run.status(view.checkId())).isEqualTo("PROCESSED");
                        assertThat(run.http(Run.callback(view, "PROCESSED")).body().path("status").asText())
                                .isEqualTo("IGNORED");
                        assertThat(TestServices.sfn().calls("SendTaskSuccess")).hasSize(1);
                    }
                }));
        s.add(new Scenario("F42", FAULT, CALLBACK,
                "Step Functions unavailable (503) when the callback completes the task",
                "200 to Jumio; the claim is handed back (WAITING); the redelivered callback completes the task once",
                run -> {
                    try (MotoStepFunctions sfn = stepFunctions()) {
                        MotoStepFunctions.WaitingTask task = sfn.waitingTask(300);
                        run.sim.callbacks(false);
                        CheckView view = run.start(run.ekyc(), task.taskToken());
                        run.taskToken(task.taskToken());
                        TestServices.sfn().clear();
                        TestServices.sfn().failNext(50);
                        assertThat(run.http(Run.callback(view, "PROCESSED")).status()).isEqualTo(200);
                        assertThat(Run.status(view.checkId())).isEqualTo("PROCESSED");
                        assertThat(Run.attr(view.checkId(), "taskState")).isEqualTo("WAITING");
                        TestServices.sfn().clear();
                        assertThat(run.http(Run.callback(view, "PROCESSED")).status()).isEqualTo(200);
                        assertThat(Run.attr(view.checkId(), "taskState")).isEqualTo("COMPLETED");
                        assertThat(TestServices.sfn().calls("SendTaskSuccess")).hasSize(1);
                        assertThat(sfn.awaitExecution(task.executionArn(), Duration.ofSeconds(30)).status().toString())
                                .isEqualTo("SUCCEEDED");
                    }
                }));
        // ---- retrieval: lost callbacks, 404 while processing, faults while reconciling
        s.add(new Scenario("F43", FAULT, RETRIEVE, "the callback is lost",
                "GET after the threshold asks Jumio once and returns PROCESSED with the decision", run -> {
                    run.sim.nextOutcome("WARNING", "MEDIUM_RISK", 55);
                    CheckView view = run.start(run.ekyc());
                    Run.pause(1_100);
                    Lambda.HttpAnswer answer = run.http(Events.getCheck(view.checkId()));
                    assertThat(answer.body().path("status").asText()).as(answer.rawBody()).isEqualTo("PROCESSED");
                    assertThat(answer.body().path("decision").path("riskScore").asInt()).isEqualTo(55);
                }));
        s.add(new Scenario("F44", FAULT, RETRIEVE, "details 404 while Jumio is still processing the workflow",
                "200 PENDING without a decision, on every read", run -> {
                    run.sim.processingDelayMillis(120_000);
                    CheckView view = run.start(run.ekyc());
                    Run.pause(1_100);
                    Lambda.HttpAnswer answer = run.http(Events.getCheck(view.checkId()));
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.body().path("status").asText()).isEqualTo("PENDING");
                    assertThat(answer.body().has("decision")).isFalse();
                    Lambda.HttpAnswer again = run.http(Events.getCheck(view.checkId()));
                    assertThat(again.status()).isEqualTo(200);
                    assertThat(again.body().path("status").asText()).isEqualTo("PENDING");
                }));
        s.add(new Scenario("F45", FAULT, RETRIEVE, "status retrieval answers 503 during reconciliation",
                "200 PENDING; a read in the next slot reaches PROCESSED", run -> {
                    run.sim.failNext(Endpoint.STATUS, 503, 4);
                    CheckView view = run.start(run.ekyc());
                    Run.pause(1_100);
                    Lambda.HttpAnswer answer = run.http(Events.getCheck(view.checkId()));
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.body().path("status").asText()).isEqualTo("PENDING");
                    Run.await("a later slot", () -> "PROCESSED".equals(
                            run.http(Events.getCheck(view.checkId())).body().path("status").asText()));
                }));
        s.add(new Scenario("F46", FAULT, RETRIEVE, "429 with Retry-After: 1 at status retrieval",
                "retried; 200 PROCESSED", run -> {
                    run.sim.failNext(Endpoint.STATUS, 429, 1, 1);
                    CheckView view = run.start(run.ekyc());
                    Run.pause(1_100);
                    Lambda.HttpAnswer answer = run.http(Events.getCheck(view.checkId()));
                    assertThat(answer.body().path("status").asText()).as(answer.rawBody()).isEqualTo("PROCESSED");
                }));
        s.add(new Scenario("F47", FAULT, RETRIEVE, "DynamoDB unavailable for reads",
                "GET gets a 5xx problem (safe to retry); once DynamoDB is back, 200", run -> {
                    CheckView view = run.start(run.ekyc());
                    DynamoFaults.refuse(DynamoFaults.ANY_READ, DynamoFaults.UNAVAILABLE, 1_000);
                    Lambda.HttpAnswer failed = run.http(Events.getCheck(view.checkId()));
                    TestServices.dynamodb().clear();
                    assertThat(failed.status()).isIn(500, 503);
                    assertThat(failed.header("content-type")).isEqualTo("application/problem+json");
                    assertThat(run.http(Events.getCheck(view.checkId())).status()).isEqualTo(200);
                }));
        s.add(new Scenario("F48", FAULT, RETRIEVE, "DynamoDB throttles (x2) the poll-slot claim",
                "absorbed; 200 PROCESSED", run -> {
                    CheckView view = run.start(run.ekyc());
                    Run.pause(1_100);
                    DynamoFaults.refuse(DynamoFaults.POLL_CLAIM, DynamoFaults.THROTTLING, 2);
                    Lambda.HttpAnswer answer = run.http(Events.getCheck(view.checkId()));
                    assertThat(answer.body().path("status").asText()).as(answer.rawBody()).isEqualTo("PROCESSED");
                }));
        // ---- ambiguous account answers: Jumio processed the request, but its answer leaves us unsure
        s.add(ambiguous("F51", AfterProcessing.BAD_GATEWAY, "HTTP_502"));
        s.add(ambiguous("F52", AfterProcessing.GATEWAY_TIMEOUT, "HTTP_504"));
        s.add(ambiguous("F53", AfterProcessing.CUT_BODY, "CUT_ANSWER"));
        s.add(ambiguous("F54", AfterProcessing.NO_ANSWER, "NO_ANSWER"));
        s.add(ambiguous("F55", AfterProcessing.NO_DATA_CREDENTIAL, "INCOMPLETE_ANSWER"));
        return s;
    }

    /**
     * Jumio created a workflow but answered {@code what}: the attempt is recorded, the retry completes the check with a
     * workflow of its own, the orphan's expiry callback finds the orphan, and the erase sweep deletes it, once. The
     * invariants then find no live
     * workflow that no check owns.
     */
    private static Scenario ambiguous(String id, AfterProcessing what, String answer) {
        return new Scenario(id, FAULT, CALLBACK, "account create processed, then answered " + what,
                "attempt recorded (" + answer + "), 503 JumioUnavailable; the retry completes the check; the orphan's"
                        + " expiry callback finds it, the erase sweep deletes it once; the check keeps its own workflow",
                run -> {
                    run.sim.callbacks(false).afterProcessingNext(Endpoint.ACCOUNT_CREATE, what, 1);
                    String body = run.emailRisk();
                    assertThatThrownBy(() -> run.start(body)).isInstanceOf(JumioUnavailable.class);
                    String orphan = run.sim.liveWorkflows().get(0).workflowExecutionId();
                    CheckView view = run.start(body);
                    assertThat(view.startAttempts()).extracting(CheckView.AttemptView::answer).containsExactly(answer);
                    assertThat(view.workflowExecutionId()).isNotEqualTo(orphan);
                    run.sim.expireUnfinalizedNow();
                    assertThat(run.sim.sendCallback(orphan, "TOKEN_EXPIRED").httpStatus()).isEqualTo(200);
                    assertThat(run.sim.deleteRequests(orphan)).as("the callback function deletes nothing").isZero();
                    run.sweep();
                    assertThat(run.sim.deleteRequests(orphan)).isEqualTo(1);
                    assertThat(run.sim.deleteRequests(view.workflowExecutionId())).isZero();
                    assertThat(Run.attr(view.checkId(), "orphansDeleted")).isEqualTo("1");
                });
    }

    /**
     * Step Functions on moto for one scenario. moto runs one execution per region at a time, so the scenario's state
     * machines are deleted when it ends (close), leaving the region clean for TaskCompletionTest.
     */
    private static MotoStepFunctions stepFunctions() {
        return new MotoStepFunctions(TestServices.moto().endpoint()).enableInterpreter();
    }

    /** A fault that our retries absorb: 202, one workflow, the faulty endpoint asked once more per failure. */
    private static Scenario absorbed(String id, String injected, Endpoint endpoint, int status, int times,
            Integer retryAfter, boolean viaRefresh) {
        return new Scenario(id, FAULT, INITIATE, injected, "202; retried (honouring Retry-After); one workflow",
                run -> {
                    if (viaRefresh) {
                        // The container's cached token is refused, so the token endpoint is asked mid-flow.
                        run.sim.revokeAllTokens();
                    }
                    run.sim.failNext(endpoint, status, times, retryAfter);
                    accepted(run, run.post(run.ekyc()));
                    assertThat(run.sim.count(endpoint)).isEqualTo(1 + times);
                });
    }

    private static Scenario dynamoBurst(String id, Write write, Answer answer, int times) {
        return new Scenario(id, FAULT, INITIATE, "DynamoDB " + answer.name() + " (x" + times + ") at: " + write.name(),
                "absorbed by retries: 202; one workflow", run -> {
                    DynamoFaults.refuse(write, answer, times);
                    accepted(run, run.post(run.ekyc()));
                    assertThat(TestServices.dynamodb().remaining()).as("every refusal was met").isZero();
                });
    }

    /**
     * DynamoDB refuses one write for longer than any retry: the caller gets a clear 5xx, nothing is lost, and the same
     * request, once DynamoDB is back (and the failed attempt's lease has run out), completes the check without a
     * second Jumio transaction.
     */
    private static Scenario dynamoOutage(String id, Write write, Answer answer) {
        return new Scenario(id, FAULT, INITIATE, "DynamoDB " + answer.name() + " on every attempt at: " + write.name(),
                "5xx problem to the caller; nothing lost; the retry completes with 202 and no second Jumio transaction",
                run -> {
                    DynamoFaults.refuse(write, answer, 10_000);
                    Lambda.HttpAnswer failed = run.post(run.ekyc());
                    TestServices.dynamodb().clear();
                    assertThat(failed.status()).as(failed.rawBody()).isBetween(500, 599);
                    assertThat(failed.header("content-type")).isEqualTo("application/problem+json");
                    Lambda.HttpAnswer retried = run.post(run.ekyc());
                    if (retried.status() == 409) {
                        // The failed attempt could not release its lease: retry once it has run out.
                        assertThat(retried.body().path("errorType").asText()).isEqualTo(IN_PROGRESS);
                        Leases.expire(retried.body().path("checkId").asText());
                        retried = run.post(run.ekyc());
                    }
                    accepted(run, retried);
                    assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).as("one Jumio transaction")
                            .isLessThanOrEqualTo(1);
                });
    }

    /**
     * As {@link #dynamoOutage}, for a Step Functions task: the Lambda error's type must be one that the state
     * machine's StartCheck retries (a caught error would end the execution as Failed and leave the check to nobody),
     * and the retried task completes the check with no second Jumio transaction.
     */
    private static Scenario directOutage(String id, Write write, Answer answer) {
        return new Scenario(id, FAULT, INITIATE, "Step Functions start while DynamoDB " + answer.name()
                + " on every attempt at: " + write.name(),
                "a Lambda error whose errorType StartCheck retries; the retried task returns the check, one workflow",
                run -> {
                    DynamoFaults.refuse(write, answer, 10_000);
                    Lambda.Result failed = run.direct(run.ekyc());
                    TestServices.dynamodb().clear();
                    assertThat(failed.ok()).isFalse();
                    assertThat(startCheckRetries()).as("StartCheck retries errorType " + failed.errorType())
                            .contains(failed.errorType());
                    Lambda.Result retried = run.direct(run.ekyc());
                    assertThat(retried.ok()).as(String.valueOf(retried.body())).isTrue();
                    assertThat(retried.body().path("status").asText()).isEqualTo("PENDING");
                    assertThat(Run.attr(retried.body().path("checkId").asText(), "step")).isEqualTo("FINALIZED");
                    assertThat(run.sim.workflowIds()).as("one Jumio transaction").hasSize(1);
                });
    }

    /** The error types that the state machine's StartCheck state retries. */
    static java.util.Set<String> startCheckRetries() throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode asl = Events.JSON.readTree(
                java.nio.file.Path.of("infra/statemachine/check.asl.json").toFile());
        java.util.Set<String> types = new java.util.HashSet<>();
        asl.path("States").path("StartCheck").path("Retry")
                .forEach(r -> r.path("ErrorEquals").forEach(e -> types.add(e.asText())));
        return types;
    }

    private static Scenario crash(String id, String injected, Endpoint next, int accounts, int uploads) {
        return new Scenario(id, FAULT, INITIATE, injected,
                "a retry while the dead invocation's lease runs gets 409 CheckInProgress with Retry-After; after it, 202 resuming from the step reached",
                run -> {
                    run.sim.failNext(next, 503, 1_000);
                    Lambda.HttpAnswer failed = run.post(run.ekyc());
                    unavailable(failed);
                    String checkId = failed.body().path("checkId").asText();
                    Leases.hold(checkId, System.currentTimeMillis() + 30_000);
                    run.sim.clearFaults().resetCounts();
                    Lambda.HttpAnswer busy = run.post(run.ekyc());
                    assertThat(busy.status()).isEqualTo(409);
                    assertThat(busy.body().path("errorType").asText()).isEqualTo(IN_PROGRESS);
                    assertThat(busy.header("retry-after")).isNotNull();
                    Leases.expire(checkId);
                    Lambda.HttpAnswer resumed = accepted(run, run.post(run.ekyc()));
                    assertThat(resumed.body().path("checkId").asText()).isEqualTo(checkId);
                    assertThat(run.sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(accounts);
                    assertThat(run.sim.count(Endpoint.UPLOAD)).isEqualTo(uploads);
                    assertThat(run.sim.count(Endpoint.FINALIZE)).isEqualTo(1);
                });
    }

    static Lambda.HttpAnswer accepted(Run run, Lambda.HttpAnswer answer) {
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(answer.body().path("status").asText()).isEqualTo("PENDING");
        String checkId = answer.body().path("checkId").asText();
        assertThat(Run.attr(checkId, "step")).isEqualTo("FINALIZED");
        assertThat(run.sim.workflowIds()).as("one Jumio transaction").hasSize(1);
        return answer;
    }

    static void unavailable(Lambda.HttpAnswer answer) {
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(503);
        assertThat(answer.body().path("errorType").asText()).isEqualTo(UNAVAILABLE);
    }
}
