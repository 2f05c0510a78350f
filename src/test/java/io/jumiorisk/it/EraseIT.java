package io.jumiorisk.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.SeededWorkflow;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@code erase} in the native executable: the tombstone, Jumio's refusal for a missing permission, a repeat. */
@QuarkusIntegrationTest
@TestProfile(Profiles.Erase.class)
class EraseIT {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    @Test
    void aProcessedCheckIsErasedAndARepeatAnswersTheSame() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.processed(wf, "PASSED", "OK", 5);

        Lambda.HttpAnswer answer = Lambda.http(Events.deleteCheck(checkId));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("ERASED");
        assertThat(answer.body().path("erasure").path("jumio").asText()).isEqualTo("DELETED");
        assertThat(answer.body().has("decision")).isFalse();
        assertThat(sim.workflowIds()).doesNotContain(wf.workflowExecutionId());
        assertThat(SeededChecks.check(checkId)).doesNotContainKeys("decision", "accountId", "workflowExecutionId");
        // The pointer stays, leading a late callback to the tombstone instead of to Jumio.
        assertThat(TestServices.item("WX#" + wf.workflowExecutionId()).get("checkId").s()).isEqualTo(checkId);

        Lambda.HttpAnswer again = Lambda.http(Events.deleteCheck(checkId));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(answer.body());
        assertThat(sim.count(Endpoint.DELETE)).isEqualTo(1);
    }

    @Test
    void aMissingPermissionIsNamedAndAStepFunctionsTaskSeesItsType() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.processed(wf, "PASSED", "OK", 5);
        sim.retrieveAndDeletePermission(false);

        Lambda.Result refused = Lambda.direct("{\"checkId\":\"" + checkId + "\",\"scope\":\"account\"}");

        assertThat(refused.errorType()).isEqualTo("io.jumiorisk.errors.JumioRejected");
        assertThat(refused.body().path("errorMessage").asText()).contains("\"retrieve & delete\" permission");
        assertThat(SeededChecks.check(checkId).get("erasureScope").s()).isEqualTo("account");
        assertThat(sim.workflowIds()).contains(wf.workflowExecutionId());
    }
}
