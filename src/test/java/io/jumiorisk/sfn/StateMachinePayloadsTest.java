package io.jumiorisk.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.keys.DataKey;
import io.jumiorisk.keys.KeyedHash;
import io.jumiorisk.keys.TokenSeal;
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

/**
 * The initiate handler fed exactly what the state machine's StartCheck state sends (the request fields from the
 * execution input, the checkId that the NameCheck state chose, the task token), and the error types it raises.
 *
 * <p>The checkId in the payload is the product change of issue 13 (initiate takes the state machine's id as the check's
 * id and idempotency key). Until the handler accepts it, these tests are skipped, saying why, rather than failing on a
 * deployment change that runs ahead of the product; once it does, they run.
 */
@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class StateMachinePayloadsTest {
    /** The product's seal under the tests' data key, to read what the table keeps of a task token. */
    private static final TokenSeal SEAL = new TokenSeal(new KeyedHash(DataKey.of(TestServices.DATA_KEY)));
    static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf0tzSaoPLACEHOLDERtaskTOKEN==";

    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    private static JsonNode input(String reference) throws Exception {
        return Events.JSON.readTree(Checks.emailRisk(reference));
    }

    /** What NameCheck leaves for StartCheck: {@code {"checkId": States.UUID()}}, nothing of the input. */
    private static JsonNode named(String checkId) {
        return Events.JSON.createObjectNode().put("checkId", checkId);
    }

    private static String startCheck(JsonNode executionInput, String checkId, String token) {
        return AslPayloads.render("StartCheck", executionInput, named(checkId), token);
    }

    private static Lambda.Result start(JsonNode executionInput, String checkId, String token) {
        Lambda.Result result = Lambda.direct(startCheck(executionInput, checkId, token));
        Assumptions.assumeFalse("io.jumiorisk.errors.InvalidRequest".equals(result.errorType())
                && result.body().path("errorMessage").asText().contains("checkId is not a known field"),
                "initiate does not take the state machine's checkId yet (the product side of issue 13): "
                        + result.body());
        return result;
    }

    @Test
    void startCheckSendsTheMachinesIdAndNoStateData() throws Exception {
        String checkId = UUID.randomUUID().toString();
        JsonNode payload = Events.JSON.readTree(startCheck(input(Checks.reference()), checkId, TOKEN));

        assertThat(payload.path("checkId").asText()).isEqualTo(checkId);
        assertThat(payload.path("preparedData").path("email").asText()).isEqualTo(Checks.EMAIL);
        assertThat(payload.path("taskToken").asText()).isEqualTo(TOKEN);
        assertThat(payload.fieldNames()).toIterable().containsExactlyInAnyOrder("checkId",
                "customerInternalReference", "userReference", "workflowDefinitionKey", "preparedData", "taskToken");
    }

    @Test
    void startCheckStoresTheTaskTokenUnderTheMachinesIdAndReturnsItNowhere() throws Exception {
        String checkId = UUID.randomUUID().toString();

        Lambda.Result started = start(input(Checks.reference()), checkId, TOKEN);

        assertThat(started.ok()).as(started.body().toString()).isTrue();
        assertThat(started.body().path("checkId").asText()).isEqualTo(checkId);
        assertThat(started.body().path("status").asText()).isEqualTo("PENDING");
        assertThat(started.body().toString()).doesNotContain(TOKEN);
        Map<String, AttributeValue> item = TestServices.item("CHECK#" + checkId);
        assertThat(item).doesNotContainKey("taskToken");
        assertThat(item.toString()).as("sealed at rest").doesNotContain(TOKEN);
        assertThat(SEAL.unseal(item.get("sealedTaskToken").s())).isEqualTo(TOKEN);
        assertThat(item.get("taskState").s()).isEqualTo("WAITING");
        assertThat(sim.requests(Endpoint.ACCOUNT_CREATE).get(0).body()).doesNotContain(TOKEN);
    }

    @Test
    void aRetriedStartCheckWithANewTokenReplacesTheWaitingOne() throws Exception {
        JsonNode input = input(Checks.reference());
        String checkId = UUID.randomUUID().toString();
        assertThat(start(input, checkId, TOKEN).ok()).isTrue();

        Lambda.Result retried = start(input, checkId, TOKEN + "2");

        assertThat(retried.body().path("checkId").asText()).isEqualTo(checkId);
        assertThat(SEAL.unseal(TestServices.item("CHECK#" + checkId).get("sealedTaskToken").s()))
                .isEqualTo(TOKEN + "2");
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
    }

    @Test
    void finalFailuresAndTransientFailuresHaveDistinctErrorTypes() throws Exception {
        String invalid = "{\"checkId\":\"" + UUID.randomUUID()
                + "\",\"customerInternalReference\":\"a|b\",\"preparedData\":{\"email\":\"x\"},\"taskToken\":\"" + TOKEN
                + "\"}";
        assertThat(Lambda.direct(invalid).errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");

        String ref = Checks.reference();
        String checkId = UUID.randomUUID().toString();
        assertThat(start(input(ref), checkId, TOKEN).ok()).isTrue();
        JsonNode otherBody = Events.JSON.readTree(Checks.phoneRisk(ref));
        assertThat(start(otherBody, checkId, TOKEN).errorType()).isEqualTo("io.jumiorisk.errors.IdempotencyConflict");

        sim.failNext(Endpoint.ACCOUNT_CREATE, 503, 100);
        Lambda.Result down = start(input(Checks.reference()), UUID.randomUUID().toString(), TOKEN);
        assertThat(down.errorType()).isEqualTo("io.jumiorisk.errors.JumioUnavailable");
        assertThat(down.body().path("errorMessage").asText()).doesNotContain(Checks.EMAIL);

        sim.clearFaults().failNext(Endpoint.ACCOUNT_CREATE, 429, 100);
        assertThat(start(input(Checks.reference()), UUID.randomUUID().toString(), TOKEN).errorType())
                .isEqualTo("io.jumiorisk.errors.JumioUnavailable");

        sim.clearFaults().failNext(Endpoint.ACCOUNT_CREATE, 403, 1);
        assertThat(start(input(Checks.reference()), UUID.randomUUID().toString(), TOKEN).errorType())
                .isEqualTo("io.jumiorisk.errors.JumioRejected");

        assertThat(Lambda.direct("{\"checkId\":\"" + UUID.randomUUID()
                + "\",\"customerInternalReference\":\"r\",\"preparedData\":{\"email\":\"a@example.com\"},\"taskToken\":7}")
                .errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");
    }
}
