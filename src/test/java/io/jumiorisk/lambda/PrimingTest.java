package io.jumiorisk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jumiorisk.aws.SecretReader;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Priming runs every step of a check's path without a word to Jumio and without a write; a restore re-reads secrets.
 */
@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class PrimingTest {
    @Inject
    Priming priming;
    @Inject
    SecretReader secrets;

    @Test
    void everyStepRunsAndNothingReachesJumioOrTheTable() {
        JumioSimulator sim = TestServices.simulator();
        java.util.Map<io.jumiorisk.sim.Endpoint, Integer> requestsBefore = sim.counts();
        int strayBefore = sim.strayRequests().size();
        int itemsBefore = TestServices.allItems().size();

        assertThat(priming.prime()).containsExactly("request", "token seal", "jumio client", "dynamodb", "answer");

        assertThat(sim.counts()).as("requests Jumio received").isEqualTo(requestsBefore);
        assertThat(sim.strayRequests()).hasSize(strayBefore);
        assertThat(TestServices.allItems()).as("items in the table").hasSize(itemsBefore);
    }

    @Test
    void autoPrimesOnlyWhereInitIsOffTheRequestPath() {
        assertThat(Priming.wanted(Priming.When.AUTO, "snap-start")).isTrue();
        assertThat(Priming.wanted(Priming.When.AUTO, "provisioned-concurrency")).isTrue();
        assertThat(Priming.wanted(Priming.When.AUTO, "on-demand")).isFalse();
        assertThat(Priming.wanted(Priming.When.AUTO, null)).as("a local run").isFalse();
        assertThat(Priming.wanted(Priming.When.ALWAYS, "on-demand")).isTrue();
        assertThat(Priming.wanted(Priming.When.NEVER, "snap-start")).isFalse();
    }

    @Test
    void onlyAnOnDemandInitOfInitiateFetchesTheTokenAhead() {
        assertThat(TokenPrefetch.wanted(true, "initiate", "on-demand", Priming.When.AUTO)).isTrue();
        assertThat(TokenPrefetch.wanted(true, "initiate", "snap-start", Priming.When.AUTO)).as("a snapshot").isFalse();
        assertThat(TokenPrefetch.wanted(true, "initiate", "on-demand", Priming.When.ALWAYS)).as("primed").isFalse();
        assertThat(TokenPrefetch.wanted(true, "initiate", null, Priming.When.AUTO)).as("not on Lambda").isFalse();
        assertThat(TokenPrefetch.wanted(true, "retrieve", "on-demand", Priming.When.AUTO)).isFalse();
        assertThat(TokenPrefetch.wanted(false, "initiate", "on-demand", Priming.When.AUTO)).isFalse();
    }

    @Test
    void aRestoredContainerReadsItsSecretsAgain() {
        String name = "priming-test-" + UUID.randomUUID();
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .endpointOverride(URI.create(TestServices.moto().endpoint())).region(Region.of(TestServices.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            client.createSecret(c -> c.name(name).secretString("{\"key\":\"before-the-snapshot\"}"));
            assertThat(secrets.field(name, "key")).isEqualTo("before-the-snapshot");

            // Rotated while the snapshot waited: a restored container must not keep the old value.
            client.putSecretValue(p -> p.secretId(name).secretString("{\"key\":\"after-the-rotation\"}"));
            assertThat(secrets.field(name, "key")).as("cached until a restore").isEqualTo("before-the-snapshot");
            priming.afterRestore();
            assertThat(secrets.field(name, "key")).isEqualTo("after-the-rotation");
        }
    }
}
