package io.jumiorisk.orphans;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.Deadline;
import io.jumiorisk.check.CheckStarter;
import io.jumiorisk.check.CheckView;
import io.jumiorisk.check.ErasureSweep;
import io.jumiorisk.check.RequestParser;
import io.jumiorisk.sim.AfterProcessing;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.LiveWorkflow;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.Starts;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code JUMIO_AMBIGUOUS_START=REPEAT}: the attempt is recorded, then the request repeated in the same invocation. */
@QuarkusTest
@TestProfile(Profiles.CallbackRepeatingAmbiguousStarts.class)
class RepeatedAmbiguousStartTest {
    final JumioSimulator sim = TestServices.simulator();

    @Inject
    CheckStarter starter;
    @Inject
    RequestParser parser;
    @Inject
    ErasureSweep sweep;

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(true).callbackDelayMillis(50);
    }

    @Test
    void theStartCompletesInOneCallAndItsOrphanIsDeletedLater() {
        sim.afterProcessingNext(Endpoint.ACCOUNT_CREATE, AfterProcessing.BAD_GATEWAY, 1);

        CheckView view = Starts.start(starter, parser, Checks.emailRisk(Checks.reference()));

        assertThat(view.status()).isEqualTo("PENDING");
        assertThat(view.startAttempts()).hasSize(1);
        assertThat(view.startAttempts().get(0).answer()).isEqualTo("HTTP_502");
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(2);
        List<String> live = sim.liveWorkflows().stream().map(LiveWorkflow::workflowExecutionId).toList();
        assertThat(live).hasSize(2).contains(view.workflowExecutionId());
        String orphan = live.stream().filter(w -> !w.equals(view.workflowExecutionId())).findFirst().orElseThrow();

        sim.expireUnfinalizedNow();

        TestServices.await("the orphan found", () -> TestServices.item("ORPHAN#" + orphan) != null);
        assertThat(sweep.sweep(Deadline.in(Duration.ofSeconds(20))).orphansDeleted()).isEqualTo(1);
        assertThat(TestServices.item("ORPHAN#" + orphan).get("state").s()).isEqualTo("DELETED");
        assertThat(sim.deleteRequests(orphan)).isEqualTo(1);
        assertThat(sim.deleteRequests(view.workflowExecutionId())).isZero();
    }
}
