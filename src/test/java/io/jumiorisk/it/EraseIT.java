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
        sim.eraserPermission(false);

        Lambda.Result refused = Lambda.direct("{\"checkId\":\"" + checkId + "\",\"scope\":\"account\"}");

        assertThat(refused.errorType()).isEqualTo("io.jumiorisk.errors.JumioRejected");
        assertThat(refused.body().path("errorMessage").asText()).contains("\"retrieve & delete\" permission");
        assertThat(SeededChecks.check(checkId).get("erasureScope").s()).isEqualTo("account");
        assertThat(sim.workflowIds()).contains(wf.workflowExecutionId());
    }

    @Test
    void eraseUsesItsOwnClientAndTheAccountRouteErasesTheAccount() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.processed(wf, "PASSED", "OK", 5);
        // The main client cannot delete: erase does not use it.
        sim.retrieveAndDeletePermission(false);

        Lambda.HttpAnswer oldForm = Lambda.http(Events.deleteCheck(checkId).query("scope", "account"));
        Lambda.HttpAnswer answer = Lambda.http(Events.deleteCheckAccount(checkId));

        assertThat(oldForm.status()).isEqualTo(400);
        assertThat(oldForm.rawBody()).contains("DELETE /checks/{checkId}/account");
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.body().path("erasure").path("scope").asText()).isEqualTo("account");
        assertThat(sim.deleteRequests(wf.accountId())).isEqualTo(1);
        assertThat(sim.deleteClients()).containsExactly(sim.eraserClientId());
    }

    @Test
    void theSweepFinishesAnErasureAfterAJumioOutageAndDeletesFoundOrphans() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.processed(wf, "PASSED", "OK", 5);
        String orphan = sim.seedUnfinalizedWorkflow("10066", null, "txn-orphan-" + java.util.UUID.randomUUID());
        String orphanAccount = sim.liveWorkflows().stream().filter(w -> w.workflowExecutionId().equals(orphan))
                .findFirst().orElseThrow().accountId();
        SeededChecks.orphanFound(orphan, orphanAccount, checkId);
        sim.failNext(Endpoint.DELETE, 503, 1_000);

        Lambda.HttpAnswer down = Lambda.http(Events.deleteCheck(checkId));
        Lambda.Result sweptWhileDown = Lambda.direct("{\"sweep\": true}");
        sim.clearFaults();
        Lambda.Result swept = Lambda.direct("{\"sweep\": true}");

        assertThat(down.status()).isEqualTo(503);
        assertThat(sweptWhileDown.body().path("pendingErasures").asInt()).isEqualTo(1);
        assertThat(sweptWhileDown.body().path("pendingOrphans").asInt()).isEqualTo(1);
        assertThat(swept.ok()).as(swept.body().toString()).isTrue();
        assertThat(swept.body().path("erased").asInt()).isEqualTo(1);
        assertThat(swept.body().path("orphansDeleted").asInt()).isEqualTo(1);
        assertThat(swept.body().path("pendingErasures").asInt()).isZero();
        assertThat(swept.body().path("pendingOrphans").asInt()).isZero();
        assertThat(SeededChecks.status(checkId)).isEqualTo("ERASED");
        assertThat(sim.workflowIds()).doesNotContain(wf.workflowExecutionId(), orphan);
        assertThat(TestServices.item("ORPHAN#" + orphan).get("state").s()).isEqualTo("DELETED");
    }
}
