package io.jumiorisk.orphans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckEraser;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.ErasureSweep;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.errors.JumioRejected;
import io.jumiorisk.errors.JumioUnavailable;
import io.jumiorisk.faults.Run;
import io.jumiorisk.sim.AfterProcessing;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.LiveWorkflow;
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
 * An account request that Jumio answers in a way that leaves us unsure whether it created a workflow: the attempt is
 * recorded, the caller's retry completes the check with a workflow of its own, and the workflow the first attempt
 * left at Jumio (an orphan) is found when Jumio's expiry callback reveals it, and deleted, once, by the erase sweep.
 * Runs as the callback function, which is where orphans are found; checks are started, erased and swept with the
 * flow's own services.
 */
@QuarkusTest
@TestProfile(Profiles.Callback.class)
class AmbiguousStartTest {
    final JumioSimulator sim = TestServices.simulator();

    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;
    @Inject
    CheckEraser eraser;
    @Inject
    ErasureSweep sweep;

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(true).callbackDelayMillis(50);
    }

    @ParameterizedTest
    @EnumSource(value = AfterProcessing.class, names = {"BAD_GATEWAY", "GATEWAY_TIMEOUT", "CUT_BODY", "NO_ANSWER",
            "NO_DATA_CREDENTIAL"})
    void anAmbiguousAnswerIsRecordedAndItsOrphanDeletedOnceWhenJumioRevealsIt(AfterProcessing answer) {
        String completedBody = Checks.emailRisk(Checks.reference());
        String erasedBody = Checks.emailRisk(Checks.reference());
        sim.afterProcessingNext(Endpoint.ACCOUNT_CREATE, answer, 2);

        // The first attempt of each check: recorded, answered as retryable, never repeated blindly.
        String completedId = ambiguous(completedBody);
        String erasedId = ambiguous(erasedBody);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(2);
        assertThat(attempts(completedId)).hasSize(1).allSatisfy(a -> assertThat(a).isNotBlank());
        Map<String, String> accountOf = sim.liveWorkflows().stream()
                .collect(Collectors.toMap(LiveWorkflow::workflowExecutionId, LiveWorkflow::accountId));
        Set<String> orphans = accountOf.keySet();
        assertThat(orphans).as("each attempt left a workflow at Jumio").hasSize(2);

        // The caller's retry completes one check with a workflow of its own; the other is erased meanwhile.
        CheckView completed = Starts.start(starter, parser, completedBody);
        assertThat(completed.checkId()).isEqualTo(completedId);
        assertThat(completed.startAttempts()).hasSize(1);
        assertThat(orphans).doesNotContain(completed.workflowExecutionId());
        CheckView erased = eraser.erase(erasedId, ErasureScope.WORKFLOW, Deadline.in(Duration.ofSeconds(20)));
        assertThat(erased.erasure().jumio()).isEqualTo("ATTEMPT_UNRESOLVED");
        assertThat(erased.erasure().unresolvedAttempts()).isEqualTo(1);
        assertThat(erased.erasure().pending()).contains("deleted when Jumio reveals it");

        // The orphans' token lifetime ends: Jumio sends their TOKEN_EXPIRED callbacks, to the URLs of the checks
        // that made the requests; the callback function records them, and deletes nothing itself.
        assertThat(sim.expireUnfinalizedNow()).containsExactlyInAnyOrderElementsOf(orphans);
        TestServices.await("both orphans found", () -> orphans.stream().allMatch(o -> {
            Map<String, AttributeValue> record = TestServices.item("ORPHAN#" + o);
            return record != null && "PENDING".equals(record.get("state").s());
        }));
        assertThat(orphans).allMatch(o -> sim.deleteRequests(o) == 0);
        assertThat(TestServices.item("ORPHAN#" + orphans.iterator().next()).get("checkId").s())
                .isIn(completedId, erasedId);

        // The erase function's sweep deletes them, with the erase function's own Jumio client.
        ErasureSweep.Report report = sweep.sweep(Deadline.in(Duration.ofSeconds(20)));
        assertThat(report.orphansDeleted()).isEqualTo(2);
        assertThat(report.pendingOrphans()).isZero();
        assertThat(orphans).allMatch(o -> sim.deleteRequests(o) == 1);
        assertThat(orphans).allMatch(o -> "DELETED".equals(TestServices.item("ORPHAN#" + o).get("state").s()));
        assertThat(sim.deleteClients()).containsOnly(sim.eraserClientId());

        assertThat(ids(sim.liveWorkflows())).containsExactly(completed.workflowExecutionId());
        assertThat(sim.deleteRequests(completed.workflowExecutionId())).as("the check keeps its own").isZero();
        assertThat(TestServices.item("CHECK#" + completedId).get("orphansDeleted").n()).isEqualTo("1");
        assertThat(TestServices.item("CHECK#" + erasedId).get("orphansDeleted").n()).isEqualTo("1");

        // Jumio delivers an orphan's callback again, and the sweep runs again: nothing is deleted twice.
        String orphan = orphans.iterator().next();
        String owner = TestServices.item("ORPHAN#" + orphan).get("checkId").s();
        Lambda.HttpAnswer again = Lambda.http(Events.callback(Run.callbackBody(orphan, accountOf.get(orphan),
                "TOKEN_EXPIRED")).signedFor(owner).sourceIp(Forgeries.JUMIO_IP));
        assertThat(again.status()).isEqualTo(200);
        assertThat(sweep.sweep(Deadline.in(Duration.ofSeconds(20))).orphansDeleted()).isZero();
        assertThat(sim.deleteRequests(orphan)).isEqualTo(1);
    }

    @Test
    void a429IsRepeatedAtOnceAndLeavesNothingBehind() {
        sim.failNext(Endpoint.ACCOUNT_CREATE, 429, 1, 1);

        CheckView view = Starts.start(starter, parser, Checks.emailRisk(Checks.reference()));

        assertThat(view.status()).isEqualTo("PENDING");
        assertThat(view.startAttempts()).isNull();
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(2);
        assertThat(ids(sim.liveWorkflows())).containsExactly(view.workflowExecutionId());
    }

    @Test
    void aCheckStopsAfterAsManyAmbiguousAnswersAsAllowed() {
        String body = Checks.emailRisk(Checks.reference());
        sim.afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.BAD_GATEWAY, 5);
        String checkId = null;
        for (int i = 0; i < 5; i++) {
            checkId = ambiguous(body);
        }

        assertThatThrownBy(() -> Starts.start(starter, parser, body)).isInstanceOf(JumioRejected.class)
                .hasMessageContaining("AMBIGUOUS_ACCOUNT_ANSWERS");
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("no sixth request").isEqualTo(5);
        assertThat(TestServices.item("CHECK#" + checkId).get("status").s()).isEqualTo("FAILED");
        assertThat(attempts(checkId)).hasSize(5);
    }

    @Test
    void aWorkflowThatCarriesAReferenceOfOursButWasNotLeftByAnAttemptIsLeftAlone() {
        // A check that never made an ambiguous attempt, and a workflow at Jumio with the same reference, started
        // outside this product (another definition): nothing proves it is ours to delete.
        String reference = Checks.reference();
        CheckView view = Starts.start(starter, parser, Checks.emailRisk(reference));
        String stranger = sim.seedUnfinalizedWorkflow("10065", TestServices.callbackUrl(), reference);

        sim.expireUnfinalizedNow();
        TestServices.await("the stranger's callback", () -> sim.callbackResults().stream()
                .anyMatch(r -> stranger.equals(r.workflowExecutionId())));

        assertThat(sim.deleteRequests(stranger)).isZero();
        assertThat(ids(sim.liveWorkflows())).contains(stranger, view.workflowExecutionId());
        assertThat(TestServices.item("ORPHAN#" + stranger)).isNull();
    }

    /** Starts a check whose account request is answered ambiguously; returns the check's id. */
    private String ambiguous(String body) {
        try {
            Starts.start(starter, parser, body);
        } catch (JumioUnavailable e) {
            assertThat(e.retryAfterSeconds()).isPresent();
            return (String) e.problemMembers().get("checkId");
        }
        throw new AssertionError("the start was not answered as retryable");
    }

    private static List<String> attempts(String checkId) {
        Map<String, AttributeValue> item = TestServices.item("CHECK#" + checkId);
        return item.get("startAttempts").l().stream().map(a -> a.m().get("answer").s()).toList();
    }

    private static Set<String> ids(List<LiveWorkflow> workflows) {
        return workflows.stream().map(LiveWorkflow::workflowExecutionId).collect(Collectors.toSet());
    }
}
