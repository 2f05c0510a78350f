package io.jumiorisk.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckReader;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.AwsProxy;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.MotoStepFunctions;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.Starts;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Completing the Step Functions task of a check, against moto's Step Functions interpreter: real, waiting task
 * tokens; the product's SFN client goes through a recording proxy, so every SendTask call is counted on the wire.
 */
@QuarkusTest
@TestProfile(Profiles.Callback.class)
class TaskCompletionTest {
    static MotoStepFunctions stepFunctions;

    final JumioSimulator sim = TestServices.simulator();
    final AwsProxy wire = TestServices.sfn();

    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;
    @Inject
    CheckReader reader;

    @BeforeAll
    static void interpreter() {
        stepFunctions = new MotoStepFunctions(TestServices.moto().endpoint()).enableInterpreter();
    }

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(true).callbackDelayMillis(100);
        wire.clear();
        stepFunctions.retireFinished();
    }

    private CheckView start(String taskToken) {
        return Starts.start(starter, parser, Checks.emailRisk(Checks.reference()), taskToken);
    }

    private static Map<String, AttributeValue> item(CheckView view) {
        return TestServices.item("CHECK#" + view.checkId());
    }

    @Test
    void processedSendsTaskSuccessOnceDespiteDuplicateCallbacksRacingReconciliation() throws Exception {
        MotoStepFunctions.WaitingTask task = stepFunctions.waitingTask(120);
        sim.nextOutcome("REJECTED", "TXN_REJECTED", 100).callbackDelayMillis(1_000).callbackDeliveries(3);
        CheckView view = start(task.taskToken());

        // Readers reconcile on their own schedule (1 s here) while the three callbacks land.
        Thread.sleep(900);
        ExecutorService readers = Executors.newFixedThreadPool(6);
        long until = System.currentTimeMillis() + 2_500;
        for (int i = 0; i < 6; i++) {
            readers.submit(() -> {
                while (System.currentTimeMillis() < until) {
                    reader.read(view.checkId(), Deadline.in(Duration.ofSeconds(10)));
                }
                return null;
            });
        }
        readers.shutdown();
        assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        TestServices.await("three callbacks", () -> sim.callbackResults().size() == 3);

        MotoStepFunctions.ExecutionResult result = stepFunctions.awaitExecution(task.executionArn(),
                Duration.ofSeconds(15));
        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.outputJson().path("checkId").asText()).isEqualTo(view.checkId());
        assertThat(result.outputJson().path("decision").path("type").asText()).isEqualTo("REJECTED");
        assertThat(wire.calls("SendTaskSuccess")).hasSize(1);
        assertThat(wire.calls("SendTaskSuccess").get(0).body()).contains(task.taskToken());
        assertThat(wire.calls("SendTaskFailure")).isEmpty();
        assertThat(item(view).get("taskState").s()).isEqualTo("COMPLETED");
        assertThat(item(view).get("taskOutcome").s()).isEqualTo("SendTaskSuccess");
    }

    @Test
    void expirySendsTaskFailureWithTheDocumentedError() throws Exception {
        MotoStepFunctions.WaitingTask task = stepFunctions.waitingTask(120);
        sim.callbackStatus("SESSION_EXPIRED");
        CheckView view = start(task.taskToken());

        MotoStepFunctions.ExecutionResult result = stepFunctions.awaitExecution(task.executionArn(),
                Duration.ofSeconds(15));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("Jumio.SessionExpired");
        assertThat(wire.calls("SendTaskFailure")).hasSize(1);
        assertThat(wire.calls("SendTaskFailure").get(0).body()).contains("Jumio.SessionExpired", "SESSION_EXPIRED");
        assertThat(item(view).get("status").s()).isEqualTo("SESSION_EXPIRED");
        assertThat(item(view).get("taskState").s()).isEqualTo("COMPLETED");
    }

    @Test
    void aCompletionAfterTheTaskTimedOutIsFinalAndNotRetried() throws Exception {
        MotoStepFunctions.WaitingTask task = stepFunctions.waitingTask(1);
        MotoStepFunctions.ExecutionResult timedOut = stepFunctions.awaitExecution(task.executionArn(),
                Duration.ofSeconds(15));
        assertThat(timedOut.error()).isEqualTo("States.Timeout");

        CheckView view = start(task.taskToken());
        TestServices.await("the task outcome", () -> item(view).containsKey("taskOutcome"));

        // moto answers InvalidToken for a finished execution where AWS answers TaskTimedOut: both are final.
        assertThat(item(view).get("taskState").s()).isEqualTo("ABANDONED");
        assertThat(item(view).get("taskOutcome").s()).isIn("InvalidToken", "TaskTimedOut");
        assertThat(wire.calls("SendTaskSuccess")).hasSize(1);
        reader.read(view.checkId(), Deadline.in(Duration.ofSeconds(10)));
        assertThat(wire.calls("SendTaskSuccess")).as("never retried").hasSize(1);
    }

    @Test
    void aStepFunctionsOutageIsRetriedByTheNextRead() throws Exception {
        MotoStepFunctions.WaitingTask task = stepFunctions.waitingTask(120);
        sim.callbacks(false);
        CheckView view = start(task.taskToken());
        Thread.sleep(1_100);
        wire.failNext(50);

        reader.read(view.checkId(), Deadline.in(Duration.ofSeconds(10)));

        assertThat(item(view).get("status").s()).isEqualTo("PROCESSED");
        assertThat(item(view).get("taskState").s()).as("the claim is handed back").isEqualTo("WAITING");
        assertThat(wire.calls("SendTaskSuccess")).isNotEmpty().allMatch(c -> c.status() == 503);

        wire.clear();
        reader.read(view.checkId(), Deadline.in(Duration.ofSeconds(10)));

        assertThat(item(view).get("taskState").s()).isEqualTo("COMPLETED");
        assertThat(wire.calls("SendTaskSuccess")).hasSize(1);
        assertThat(stepFunctions.awaitExecution(task.executionArn(), Duration.ofSeconds(15)).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
    }
}
