package io.jumiorisk.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.AslPayloads;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The initiate handler fed exactly what the state machine's Task states send it, and the error types it raises. */
@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class StateMachinePayloadsTest {
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf0tzSaoPLACEHOLDERtaskTOKEN==";

    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    private static JsonNode input(String reference) throws Exception {
        return Events.JSON.readTree(Checks.emailRisk(reference));
    }

    @Test
    void startCheckStoresTheTaskTokenAndReturnsItNowhere() throws Exception {
        JsonNode input = input(Checks.reference());

        Lambda.Result started = Lambda.direct(AslPayloads.render("StartCheck", input, TOKEN));

        assertThat(started.ok()).as(started.body().toString()).isTrue();
        String checkId = started.body().path("checkId").asText();
        assertThat(started.body().path("status").asText()).isEqualTo("PENDING");
        assertThat(started.body().toString()).doesNotContain(TOKEN);
        Map<String, AttributeValue> item = TestServices.item("CHECK#" + checkId);
        assertThat(item.get("taskToken").s()).isEqualTo(TOKEN);
        assertThat(item.get("taskState").s()).isEqualTo("WAITING");
        assertThat(sim.requests(Endpoint.ACCOUNT_CREATE).get(0).body()).doesNotContain(TOKEN);

        // The polling fallback re-invokes initiate without a token; the same check comes back, nothing is started.
        sim.resetCounts();
        Lambda.Result again = Lambda.direct(AslPayloads.render("ReinitiateCheck", input, null));
        assertThat(again.ok()).isTrue();
        assertThat(again.body().path("checkId").asText()).isEqualTo(checkId);
        assertThat(sim.counts().values().stream().mapToInt(Integer::intValue).sum()).isZero();
        assertThat(TestServices.item("CHECK#" + checkId).get("taskToken").s()).as("kept").isEqualTo(TOKEN);
    }

    @Test
    void aRetriedStartCheckWithANewTokenReplacesTheWaitingOne() throws Exception {
        JsonNode input = input(Checks.reference());
        String checkId = Lambda.direct(AslPayloads.render("StartCheck", input, TOKEN)).body().path("checkId").asText();

        Lambda.Result retried = Lambda.direct(AslPayloads.render("StartCheck", input, TOKEN + "2"));

        assertThat(retried.body().path("checkId").asText()).isEqualTo(checkId);
        assertThat(TestServices.item("CHECK#" + checkId).get("taskToken").s()).isEqualTo(TOKEN + "2");
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
    }

    @Test
    void finalFailuresAndTransientFailuresHaveDistinctErrorTypes() throws Exception {
        String invalid = "{\"customerInternalReference\":\"a|b\",\"preparedData\":{\"email\":\"x\"},\"taskToken\":\""
                + TOKEN + "\"}";
        assertThat(Lambda.direct(invalid).errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");

        String ref = Checks.reference();
        assertThat(Lambda.direct(AslPayloads.render("StartCheck", input(ref), TOKEN)).ok()).isTrue();
        String conflicting = AslPayloads.render("StartCheck", Events.JSON.readTree(Checks.phoneRisk(ref)), TOKEN);
        assertThat(Lambda.direct(conflicting).errorType()).isEqualTo("io.jumiorisk.errors.IdempotencyConflict");

        sim.failNext(Endpoint.ACCOUNT_CREATE, 503, 100);
        Lambda.Result down = Lambda.direct(AslPayloads.render("StartCheck", input(Checks.reference()), TOKEN));
        assertThat(down.errorType()).isEqualTo("io.jumiorisk.errors.JumioUnavailable");
        assertThat(down.body().path("errorMessage").asText()).doesNotContain(Checks.EMAIL);

        sim.clearFaults().failNext(Endpoint.ACCOUNT_CREATE, 429, 100);
        assertThat(Lambda.direct(AslPayloads.render("StartCheck", input(Checks.reference()), TOKEN)).errorType())
                .isEqualTo("io.jumiorisk.errors.JumioUnavailable");

        sim.clearFaults().failNext(Endpoint.ACCOUNT_CREATE, 403, 1);
        assertThat(Lambda.direct(AslPayloads.render("StartCheck", input(Checks.reference()), TOKEN)).errorType())
                .isEqualTo("io.jumiorisk.errors.JumioRejected");

        assertThat(Lambda.direct(
                "{\"customerInternalReference\":\"r\",\"preparedData\":{\"email\":\"a@example.com\"},\"taskToken\":7}")
                .errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
    }
}
