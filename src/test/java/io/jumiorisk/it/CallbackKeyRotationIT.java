package io.jumiorisk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.SeededWorkflow;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Forgeries;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The callback secret rotates without a redeploy, in the native executable: the binary reads the secret from Secrets
 * Manager, an operator puts a new key with the old one as the previous key, and callbacks signed with either verify.
 */
@QuarkusIntegrationTest
@TestProfile(NativeProfiles.CallbackWithSecrets.class)
class CallbackKeyRotationIT {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    @Test
    void afterARotationTheNewKeyAndThePreviousOneVerifyAndNoOtherDoes() {
        String old = SecretsResource.CALLBACK_TOKEN_IN_SECRET;
        assertThat(status(callback(pendingCheck(), old))).as("the key the binary started with").isEqualTo(200);

        String rotated = "cb-rotated-" + java.util.UUID.randomUUID();
        SecretsResource.putCallbackSecret(
                "{\"callbackToken\":\"" + rotated + "\",\"previousCallbackToken\":\"" + old + "\"}");

        Lambda.HttpAnswer underNew = callback(pendingCheck(), rotated);
        Lambda.HttpAnswer underPrevious = callback(pendingCheck(), old);
        Lambda.HttpAnswer underNeither = callback(pendingCheck(), "cb-never-issued-" + java.util.UUID.randomUUID());

        assertThat(underNew.status()).as("read again once a key did not verify: " + underNew.rawBody())
                .isEqualTo(200);
        assertThat(underNew.body().path("status").asText()).isEqualTo("RECORDED");
        assertThat(underPrevious.status()).as("still due callbacks of checks started before").isEqualTo(200);
        assertThat(underNeither.status()).isEqualTo(401);
    }

    private record Pending(String checkId, SeededWorkflow workflow) {
    }

    private Pending pendingCheck() {
        SeededWorkflow wf = sim.seedFinalizedWorkflow("10066", null);
        return new Pending(SeededChecks.pending(wf, Instant.now()), wf);
    }

    private static Lambda.HttpAnswer callback(Pending check, String secret) {
        String body = """
                {"callbackSentAt":"%s","workflowExecution":{"id":"%s","status":"PROCESSED","definitionKey":"10066"},
                 "account":{"id":"%s"}}""".formatted(Instant.now(), check.workflow().workflowExecutionId(),
                check.workflow().accountId());
        return Lambda.http(Events.callback(body).signedFor(check.checkId(), secret).sourceIp(Forgeries.JUMIO_IP));
    }

    private static int status(Lambda.HttpAnswer answer) {
        return answer.status();
    }
}
