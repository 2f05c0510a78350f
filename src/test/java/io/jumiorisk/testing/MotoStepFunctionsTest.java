package io.jumiorisk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.testing.MotoStepFunctions.CheckRun;
import io.jumiorisk.testing.MotoStepFunctions.EventText;
import io.jumiorisk.testing.MotoStepFunctions.ExecutionResult;
import io.jumiorisk.testing.MotoStepFunctions.WaitingTask;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * What moto 5.2.1 (server mode, ASL interpreter on, Lambda without Docker) really does with task tokens, and
 * {@code check.asl.json} driven through it. Where moto differs from AWS the assertion states moto's behaviour and
 * says so; see src/test/resources/moto-stepfunctions-notes.md.
 */
class MotoStepFunctionsTest {
    static final Duration MAX = Duration.ofSeconds(15);
    static final String EMAIL = "sfn.leakcheck@example.com";
    static final String INPUT = """
            {"customerInternalReference":"cir-1","userReference":"user-1","workflowDefinitionKey":"10013",
             "preparedData":{"email":"%s"}}""".formatted(EMAIL);
    static final Pattern LOWER_CASE_UUID = Pattern
            .compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    static MotoServer moto;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        try (MotoStepFunctions sfn = new MotoStepFunctions(moto.endpoint())) {
            sfn.enableInterpreter();
        }
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    static MotoStepFunctions lane() {
        return MotoStepFunctions.newLane(moto.endpoint());
    }

    // ------------------------------------------------------------------ task tokens

    @Test
    void aWaitingTokenCompletedWithSendTaskSuccessCompletesTheExecutionWithOurOutput() {
        try (MotoStepFunctions sfn = lane()) {
            WaitingTask task = sfn.waitingTask(30);
            assertThat(task.taskToken()).isNotBlank();
            assertThat(sfn.describe(task.executionArn()).status()).isEqualTo(ExecutionStatus.RUNNING);

            sfn.sendTaskSuccess(task.taskToken(), "{\"decision\":\"PASSED\",\"score\":7}");

            ExecutionResult result = sfn.awaitExecution(task.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(result.outputJson())
                    .isEqualTo(MotoStepFunctions.readTree("{\"decision\":\"PASSED\",\"score\":7}"));
        }
    }

    @Test
    void sendTaskFailureFailsTheExecutionWithThatErrorButMotoDropsTheCause() {
        try (MotoStepFunctions sfn = lane()) {
            WaitingTask task = sfn.waitingTask(30);

            sfn.sendTaskFailure(task.taskToken(), "Jumio.SessionExpired", "session ran out");

            ExecutionResult result = sfn.awaitExecution(task.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo("Jumio.SessionExpired");
            assertThat(result.cause()).as("moto's SendTaskFailure handler never passes 'cause' on").isNull();
        }
    }

    @Test
    void aSecondCompletionOfTheSameToken() {
        try (MotoStepFunctions sfn = lane()) {
            WaitingTask task = sfn.waitingTask(30);
            sfn.sendTaskSuccess(task.taskToken(), "{}");
            assertThat(sfn.awaitExecution(task.executionArn(), MAX).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

            // AWS answers TaskTimedOut for a closed task; moto only searches RUNNING executions: InvalidToken.
            assertThatThrownBy(() -> sfn.sendTaskSuccess(task.taskToken(), "{}"))
                    .isExactlyInstanceOf(InvalidTokenException.class);
            // moto's SendTaskFailure searches ALL executions and still finds the spent token: no error at all.
            assertThatCode(() -> sfn.sendTaskFailure(task.taskToken(), "Jumio.Failed", "late"))
                    .doesNotThrowAnyException();
            assertThat(sfn.describe(task.executionArn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void aTokenMotoNeverIssuedIsAnInvalidToken() {
        try (MotoStepFunctions sfn = lane()) {
            String unknown = UUID.randomUUID().toString();
            assertThatThrownBy(() -> sfn.sendTaskSuccess(unknown, "{}"))
                    .isExactlyInstanceOf(InvalidTokenException.class);
            assertThatThrownBy(() -> sfn.sendTaskFailure(unknown, "Jumio.Failed", "x"))
                    .isExactlyInstanceOf(InvalidTokenException.class);
            assertThatThrownBy(() -> sfn.sfn().sendTaskHeartbeat(b -> b.taskToken(unknown)))
                    .isExactlyInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void aTimedOutTaskFailsWithStatesTimeoutAndItsTokenIsThenAnInvalidToken() {
        try (MotoStepFunctions sfn = lane()) {
            WaitingTask task = sfn.waitingTask(1);

            ExecutionResult result = sfn.awaitExecution(task.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo("States.Timeout");
            assertThat(sfn.history(task.executionArn())).anyMatch(e -> e.type() == HistoryEventType.TASK_TIMED_OUT);

            // AWS: TaskTimedOut. moto 5.2.1 never raises TaskTimedOut (nor TaskDoesNotExist).
            assertThatThrownBy(() -> sfn.sendTaskSuccess(task.taskToken(), "{}"))
                    .isExactlyInstanceOf(InvalidTokenException.class);
            assertThatCode(() -> sfn.sendTaskFailure(task.taskToken(), "Jumio.Failed", "late"))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void oneRegionRunsOneExecutionAtATimeAndTheHelperFreesItBetweenExecutions() {
        try (MotoStepFunctions sfn = new MotoStepFunctions(moto.endpoint())) {
            WaitingTask first = sfn.waitingTask(30);
            assertThatThrownBy(() -> sfn.waitingTask(30)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start another execution");
            // The bug itself, bypassing the helper: a second StartExecution in a region holding an execution.
            String again = sfn.createStateMachine("raw", MotoStepFunctions.waitForTaskTokenDefinition("x", 5));
            assertThatThrownBy(() -> sfn.sfn().startExecution(b -> b.stateMachineArn(again).input("{}")))
                    .isInstanceOf(SfnException.class)
                    .satisfies(e -> assertThat(((SfnException) e).statusCode()).isEqualTo(500));

            sfn.sendTaskSuccess(first.taskToken(), "{\"n\":1}");
            assertThat(sfn.awaitExecution(first.executionArn(), MAX).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

            WaitingTask second = sfn.waitingTask(30); // retires the finished state machines first
            sfn.sendTaskSuccess(second.taskToken(), "{\"n\":2}");
            assertThat(sfn.awaitExecution(second.executionArn(), MAX).outputJson().path("n").asInt()).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------ check.asl.json

    /** What initiate answers (StartCheck's invoke takes a queued result; the task's output comes from the token). */
    static final String INITIATED = "{\"checkId\":\"chk-1\",\"status\":\"PENDING\"}";

    @ParameterizedTest
    @CsvSource({"PASSED, Passed", "WARNING, Warning", "REJECTED, Rejected", "NOT_EXECUTED, NotExecuted"})
    void aProcessedCheckEndsInItsDecisionsSucceedState(String decision, String endState) {
        try (MotoStepFunctions sfn = lane()) {
            CheckRun run = sfn.startCheck(INPUT);
            String token = sfn.awaitTaskToken(run.executionArn(), MAX);
            String view = "{\"checkId\":\"chk-1\",\"status\":\"PROCESSED\",\"decision\":{\"type\":\"" + decision
                    + "\"}}";

            sfn.sendTaskSuccess(token, view);

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(result.outputJson()).isEqualTo(MotoStepFunctions.readTree(view));
            assertThat(sfn.enteredStates(run.executionArn()))
                    .containsExactly("NameCheck", "StartCheck", "RouteDecision", endState);
        }
    }

    @Test
    void startCheckInvokesInitiateWithTheInputTheIdTheMachineChoseAndTheToken() {
        try (MotoStepFunctions sfn = lane()) {
            CheckRun run = sfn.startCheck(INPUT);
            String token = sfn.awaitTaskToken(run.executionArn(), MAX);

            JsonNode params = taskParameters(sfn, run).get(0);
            assertThat(params.path("FunctionName").asText()).isEqualTo(run.initiateFunctionArn());
            JsonNode payload = params.path("Payload");
            String checkId = payload.path("checkId").asText();
            assertThat(checkId).as("States.UUID(), the form initiate takes").matches(LOWER_CASE_UUID);
            assertThat(payload.path("customerInternalReference").asText()).isEqualTo("cir-1");
            assertThat(payload.path("userReference").asText()).isEqualTo("user-1");
            assertThat(payload.path("workflowDefinitionKey").asText()).isEqualTo("10013");
            assertThat(payload.path("preparedData").path("email").asText()).isEqualTo(EMAIL);
            assertThat(payload.path("taskToken").asText()).isEqualTo(token);
            // The state flowing into StartCheck is the id alone: the input reached initiate from the context object.
            assertThat(stateInput(sfn, run, "StartCheck")).isEqualTo(MotoStepFunctions.readTree(
                    "{\"checkId\":\"" + checkId + "\"}"));

            sfn.sendTaskFailure(token, "Jumio.Failed", "cleanup");
            assertThat(sfn.awaitExecution(run.executionArn(), MAX).status()).isEqualTo(ExecutionStatus.FAILED);
        }
    }

    @Test
    void preparedDataIsInTheExecutionInputAndStartChecksScheduledTaskOnly() {
        try (MotoStepFunctions sfn = lane()) {
            sfn.queueLambdaResults(INITIATED);
            CheckRun run = sfn.startCheck(INPUT);
            String token = sfn.awaitTaskToken(run.executionArn(), MAX);
            sfn.sendTaskSuccess(token, "{\"checkId\":\"chk-1\",\"status\":\"PROCESSED\",\"decision\":{\"type\":"
                    + "\"PASSED\"}}");

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(result.output()).doesNotContain(EMAIL);
            assertOnlyInputAndStartCheckCarryPreparedData(sfn, run);
        }
    }

    @Test
    void sendTaskFailureSessionExpiredIsCaughtAndEndsInExpired() {
        try (MotoStepFunctions sfn = lane()) {
            CheckRun run = sfn.startCheck(INPUT);
            String token = sfn.awaitTaskToken(run.executionArn(), MAX);

            sfn.sendTaskFailure(token, "Jumio.SessionExpired", "Check chk-1 ended as SESSION_EXPIRED");

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo("Jumio.SessionExpired");
            // moto drops SendTaskFailure's cause: the Catch result is {"Error":..,"Cause":null}, so CausePath gives
            // null.
            assertThat(result.cause()).isNull();
            assertThat(sfn.enteredStates(run.executionArn())).containsExactly("NameCheck", "StartCheck", "Expired");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.jumiorisk.errors.CheckErased", "Check.Erased"})
    void aCheckErasedWhileItsTaskWaitedEndsInErased(String error) {
        try (MotoStepFunctions sfn = lane()) {
            CheckRun run = sfn.startCheck(INPUT);
            sfn.sendTaskFailure(sfn.awaitTaskToken(run.executionArn(), MAX), error, "x");

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo(error);
            assertThat(sfn.enteredStates(run.executionArn())).containsExactly("NameCheck", "StartCheck", "Erased");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.jumiorisk.errors.JumioRejected", "Jumio.Failed", "Some.Other"})
    void otherTaskFailuresEndInFailed(String error) {
        try (MotoStepFunctions sfn = lane()) {
            CheckRun run = sfn.startCheck(INPUT);
            sfn.sendTaskFailure(sfn.awaitTaskToken(run.executionArn(), MAX), error, "x");

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo(error);
            assertThat(sfn.enteredStates(run.executionArn())).containsExactly("NameCheck", "StartCheck", "Failed");
        }
    }

    @ParameterizedTest
    @CsvSource({
            "SESSION_EXPIRED, SessionExpired, Expired, Jumio.SessionExpired, The Jumio workflow session expired before it was finalized.",
            "TOKEN_EXPIRED, TokenExpired, Expired, Jumio.TokenExpired, The Jumio workflow token lifetime ran out.",
            "FAILED, WorkflowFailed, Failed, Jumio.Failed, The check failed.",
            "SOMETHING_NEW, UnexpectedResult, Failed, Jumio.UnexpectedResult, The check reported a status or decision this workflow does not know.",
            "ERASED, CheckWasErased, Erased, Check.Erased, The check was erased on its subject's request."})
    void aFinalNonProcessedStatusEndsInAFailState(String status, String passState, String failState, String error,
            String cause) {
        try (MotoStepFunctions sfn = lane()) {
            CheckRun run = sfn.startCheck(INPUT);
            sfn.sendTaskSuccess(sfn.awaitTaskToken(run.executionArn(), MAX),
                    "{\"checkId\":\"chk-1\",\"status\":\"" + status + "\"}");

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo(error);
            assertThat(result.cause()).isEqualTo(cause);
            assertThat(sfn.enteredStates(run.executionArn()))
                    .containsExactly("NameCheck", "StartCheck", "RouteDecision", passState, failState);
        }
    }

    /**
     * The callback timeout and the polling fallback, on a COPY of check.asl.json that differs only in its times:
     * StartCheck's TimeoutSeconds 900 becomes 1 and the polling schedule [40, 60, ... 940] becomes [1, 1], because
     * moto runs both in real time. Every state, path, Retry and Catch is the shipped one.
     */
    @Test
    void afterTheCallbackTimeoutTheMachinePollsRetrieveByTheIdItChose() {
        try (MotoStepFunctions sfn = lane()) {
            sfn.queueLambdaResults(INITIATED, "{\"checkId\":\"chk-1\",\"status\":\"PENDING\"}",
                    "{\"checkId\":\"chk-1\",\"status\":\"PROCESSED\",\"decision\":{\"type\":\"PASSED\"}}");
            CheckRun run = sfn.startCheck(INPUT, MotoStepFunctionsTest::withShortTimes);

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);

            assertThat(result.status()).as("%s", sfn.enteredStates(run.executionArn()))
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(result.outputJson().path("decision").path("type").asText()).isEqualTo("PASSED");
            assertThat(sfn.enteredStates(run.executionArn())).containsExactly("NameCheck", "StartCheck",
                    "StartPolling", "PollRetrieve", "RecordPollResult", "RoutePollResult", "CountPolls",
                    "HasPollsLeft", "ScheduleNextPoll", "WaitBeforePoll", "PollRetrieve", "RecordPollResult",
                    "RoutePollResult", "RouteDecision", "Passed");
            List<JsonNode> tasks = taskParameters(sfn, run);
            String checkId = tasks.get(0).path("Payload").path("checkId").asText();
            assertThat(tasks).hasSize(3);
            for (JsonNode poll : tasks.subList(1, 3)) {
                assertThat(poll.path("FunctionName").asText()).isEqualTo(run.retrieveFunctionArn());
                assertThat(poll.path("Payload")).isEqualTo(MotoStepFunctions.readTree(
                        "{\"checkId\":\"" + checkId + "\"}"));
            }
            assertOnlyInputAndStartCheckCarryPreparedData(sfn, run);
        }
    }

    /** As above (same time-compressed copy): a check that stays PENDING ends in PollingExhausted. */
    @Test
    void aCheckThatStaysPendingEndsInPollingExhausted() {
        try (MotoStepFunctions sfn = lane()) {
            String pending = "{\"checkId\":\"chk-1\",\"status\":\"PENDING\"}";
            sfn.queueLambdaResults(INITIATED, pending, pending, pending);
            CheckRun run = sfn.startCheck(INPUT, MotoStepFunctionsTest::withShortTimes);

            ExecutionResult result = sfn.awaitExecution(run.executionArn(), MAX);

            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo("Jumio.PollingExhausted");
            assertThat(sfn.enteredStates(run.executionArn())).filteredOn("PollRetrieve"::equals).hasSize(3);
            assertThat(sfn.enteredStates(run.executionArn())).endsWith("HasPollsLeft", "PollingExhausted");
            assertOnlyInputAndStartCheckCarryPreparedData(sfn, run);
        }
    }

    /** check.asl.json with StartCheck's timeout at 1 s and the polling schedule at [1, 1]; nothing else changed. */
    static String withShortTimes(String definition) {
        ObjectNode asl = (ObjectNode) MotoStepFunctions.readTree(definition);
        ObjectNode states = (ObjectNode) asl.path("States");
        ((ObjectNode) states.path("StartCheck")).put("TimeoutSeconds", 1);
        ((ObjectNode) states.path("StartPolling").path("Result")).putArray("schedule").add(1).add(1);
        return asl.toString();
    }

    /** The resolved Parameters of every Task the execution scheduled, in order. */
    static List<JsonNode> taskParameters(MotoStepFunctions sfn, CheckRun run) {
        return sfn.history(run.executionArn()).stream().filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED)
                .map(e -> MotoStepFunctions.readTree(e.taskScheduledEventDetails().parameters())).toList();
    }

    static JsonNode stateInput(MotoStepFunctions sfn, CheckRun run, String state) {
        return sfn.history(run.executionArn()).stream()
                .filter(e -> e.stateEnteredEventDetails() != null && e.stateEnteredEventDetails().name().equals(state))
                .map(e -> MotoStepFunctions.readTree(e.stateEnteredEventDetails().input())).findFirst().orElseThrow();
    }

    /**
     * preparedData is in the execution's input (ExecutionStarted, and NameCheck's entry, whose input is the execution
     * input by definition) and in the parameters of StartCheck's scheduled task (what Step Functions sent initiate),
     * and in no other event: no state's output, no later state's input, no other task, not the execution's output.
     */
    static void assertOnlyInputAndStartCheckCarryPreparedData(MotoStepFunctions sfn, CheckRun run) {
        List<EventText> carrying = sfn.eventTexts(run.executionArn()).stream().filter(t -> t.text().contains(EMAIL))
                .toList();
        assertThat(carrying).extracting(t -> t.type() + " " + t.state()).containsExactly(
                HistoryEventType.EXECUTION_STARTED + " null", HistoryEventType.PASS_STATE_ENTERED + " NameCheck",
                HistoryEventType.TASK_SCHEDULED + " StartCheck");
    }

    /**
     * moto bug, pinned here so that nobody relies on Retry of a waitForTaskToken task: the token is made once per
     * state entry, not per attempt, so a retry re-sends the SAME token and instantly re-reads the outcome that
     * failed the first attempt. Every retry fails by itself; the state then goes to its Catch (or fails). With the
     * ASL's JumioUnavailable/CheckInProgress retrier (5 s, 10 s, ... FULL jitter) that takes minutes, hence this
     * tiny definition instead of check.asl.json.
     */
    @Test
    void motoRetriesAWaitForTaskTokenTaskWithTheSameTokenAndTheStaleFailure() {
        try (MotoStepFunctions sfn = lane()) {
            String definition = """
                    {"StartAt":"Wait","States":{"Wait":{"Type":"Task",
                      "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                      "Parameters":{"FunctionName":"%s","Payload":{"taskToken.$":"$$.Task.Token"}},
                      "TimeoutSeconds":30,
                      "Retry":[{"ErrorEquals":["io.jumiorisk.errors.JumioUnavailable"],"IntervalSeconds":1,"MaxAttempts":1}],
                      "End":true}}}"""
                    .formatted(sfn.createFunction("initiate"));
            String exec = sfn.startExecution(sfn.createStateMachine("retry", definition), "{}");
            String token = sfn.awaitTaskToken(exec, MAX);

            sfn.sendTaskFailure(token, "io.jumiorisk.errors.JumioUnavailable", "503");

            ExecutionResult result = sfn.awaitExecution(exec, MAX);
            assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(result.error()).isEqualTo("io.jumiorisk.errors.JumioUnavailable");
            assertThat(sfn.taskTokens(exec)).containsExactly(token, token);
            assertThat(sfn.history(exec)).filteredOn(e -> e.type() == HistoryEventType.TASK_FAILED).hasSize(2);
        }
    }
}
