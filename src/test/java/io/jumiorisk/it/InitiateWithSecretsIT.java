package io.jumiorisk.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.check.RequestHashes;
import io.jumiorisk.keys.DataKey;
import io.jumiorisk.keys.KeyedHash;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * initiate configured as deployed: the native binary reads its secrets with the plain Secrets Manager client (no
 * Quarkus extension behind it) at start-up, and uses them.
 */
@QuarkusIntegrationTest
@TestProfile(NativeProfiles.InitiateWithSecrets.class)
class InitiateWithSecretsIT {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    @Test
    void theSecretsFromSecretsManagerAreUsed() {
        String reference = Checks.reference();
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(reference)));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.requests(Endpoint.ACCOUNT_CREATE).get(0).json().path("callbackUrl").asText())
                .as("the callback key is made with the secret in Secrets Manager")
                .isEqualTo(TestServices.callbackUrlFor(answer.body().path("checkId").asText(),
                        SecretsResource.CALLBACK_TOKEN_IN_SECRET));
        String idempotencyKey = new RequestHashes(new KeyedHash(DataKey.of(SecretsResource.DATA_KEY_IN_SECRET)),
                Events.JSON).idempotencyKey(reference);
        assertThat(TestServices.item("CHECK#" + answer.body().path("checkId").asText()).get("idempotencyItem").s())
                .as("the table's keyed hashes are made with the data key in Secrets Manager")
                .isEqualTo("IDEM#" + idempotencyKey);
    }
}
