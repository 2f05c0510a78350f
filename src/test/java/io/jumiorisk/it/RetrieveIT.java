package io.jumiorisk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

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

/**
 * {@code retrieve} in the native executable (reconciliation after 1 s, polls 1, 2, 3 s apart). Checks are put in the
 * table as initiate and callback leave them; Jumio's side is seeded in the simulator.
 */
@QuarkusIntegrationTest
@TestProfile(Profiles.Retrieve.class)
class RetrieveIT {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    private static Lambda.HttpAnswer get(String checkId) {
        return Lambda.http(Events.getCheck(checkId));
    }

    @Test
    void aProcessedCheckIsServedFromTheTable() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.processed(wf, "WARNING", "MEDIUM_RISK", 55);

        Lambda.HttpAnswer answer = get(checkId);

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.header("content-type")).isEqualTo("application/json");
        assertThat(answer.body().path("checkId").asText()).isEqualTo(checkId);
        assertThat(answer.body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(answer.body().path("accountId").asText()).isEqualTo(wf.accountId());
        assertThat(answer.body().path("decision").path("type").asText()).isEqualTo("WARNING");
        assertThat(answer.body().path("decision").path("label").asText()).isEqualTo("MEDIUM_RISK");
        assertThat(answer.body().path("decision").path("riskScore").asInt()).isEqualTo(55);
        assertThat(answer.body().path("capabilities").get(0).path("name").asText()).isEqualTo("emailVerification");
        assertThat(answer.body().path("capabilities").get(0).path("decision").path("type").asText())
                .isEqualTo("WARNING");
        assertThat(answer.body().path("completedAt").asText()).isNotBlank();
        assertThat(answer.body().has("detailsPending")).as("null fields are left out").isFalse();
        assertThat(answer.body().path("links").path("self").asText()).isEqualTo("/checks/" + checkId);
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }

    @Test
    void aPendingCheckWhoseCallbackWasLostIsReconciledWithJumio() {
        sim.nextOutcome("PASSED", "OK", 10);
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.pending(wf, Instant.now().minusSeconds(10));

        Lambda.HttpAnswer answer = get(checkId);

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(answer.body().path("decision").path("type").asText()).isEqualTo("PASSED");
        assertThat(sim.count(Endpoint.STATUS)).isEqualTo(1);
        assertThat(sim.count(Endpoint.DETAILS)).isEqualTo(1);
        assertThat(SeededChecks.check(checkId).get("decision").m().get("type").s()).isEqualTo("PASSED");

        sim.resetCounts();
        assertThat(get(checkId).body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
    }

    @Test
    void theFullViewAddsJumiosLiveData() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.processed(wf, "PASSED", "OK", 10);

        Lambda.HttpAnswer answer = Lambda.http(Events.getCheckDetails(checkId));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(answer.body().path("liveCapabilities").isObject()).as(answer.rawBody()).isTrue();
        assertThat(Lambda.http(Events.getCheck(checkId).query("view", "full")).status())
                .as("the old form names the route that replaced it").isEqualTo(400);
    }

    @Test
    void anUnknownIdIs404AndAMalformedOne400() {
        Lambda.HttpAnswer unknown = get("0b3e3a4c-1111-4222-8333-944455556666");
        assertThat(unknown.status()).as(unknown.rawBody()).isEqualTo(404);
        assertThat(unknown.header("content-type")).isEqualTo("application/problem+json");
        assertThat(unknown.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.CheckNotFound");
        assertThat(unknown.body().path("instance").asText()).isEqualTo("/checks/0b3e3a4c-1111-4222-8333-944455556666");

        Lambda.HttpAnswer malformed = get("not-a-check");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("errors").get(0).path("field").asText()).isEqualTo("checkId");
    }

    @Test
    void aDirectInvocationGetsTheViewOrATypedError() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        String checkId = SeededChecks.processed(wf, "REJECTED", "TXN_REJECTED", 100);

        Lambda.Result ok = Lambda.direct("{\"checkId\":\"" + checkId + "\"}");
        assertThat(ok.ok()).as(String.valueOf(ok.body())).isTrue();
        assertThat(ok.body().path("status").asText()).isEqualTo("PROCESSED");
        assertThat(ok.body().path("decision").path("riskScore").asInt()).isEqualTo(100);
        assertThat(ok.body().path("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        assertThat(Lambda.direct("{\"checkId\":\"0b3e3a4c-1111-4222-8333-944455556666\"}").errorType())
                .isEqualTo("io.jumiorisk.errors.CheckNotFound");
        assertThat(Lambda.direct("{}").errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
    }
}
