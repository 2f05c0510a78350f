package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The sample events in infra/events, which users feed to sam local invoke, are what the initiate handler expects. */
@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class SampleEventsTest {

    @BeforeEach
    void reset() {
        TestServices.simulator().reset().noRateLimits().callbacks(false);
    }

    private static String event(String name) throws Exception {
        // Each run starts a new check: the samples' fixed references would otherwise repeat an earlier run's.
        return Files.readString(Path.of("infra/events", name)).replace("txn-20250617", "txn-" + System.nanoTime());
    }

    @Test
    void httpSamples() throws Exception {
        assertThat(Lambda.http(event("initiate-email-risk.json")).status())
                .isEqualTo(202);
        assertThat(Lambda.http(event("initiate-ekyc.json")).status()).isEqualTo(202);
        assertThat(Lambda.http(event("initiate-invalid.json")).status())
                .isEqualTo(400);
    }

    @Test
    void stepFunctionsSample() throws Exception {
        Lambda.Result result = Lambda.direct(event("initiate-sfn-task.json"));
        assertThat(result.ok()).as(result.body().toString()).isTrue();
        assertThat(result.body().path("status").asText()).isEqualTo("PENDING");
    }
}
