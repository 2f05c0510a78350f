package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class InitiateHappyPathTest {
    JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset();
        sim.callbacks(false);
    }

    @Test
    void emailRiskCheckStartsAWorkflow() {
        String ref = "txn-" + UUID.randomUUID();
        String body = """
                {"customerInternalReference":"%s","userReference":"user-42","workflowDefinitionKey":10066,
                 "preparedData":{"email":"jane.doe@example.com"}}""".formatted(ref);
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));
        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(answer.body().path("status").asText()).isEqualTo("PENDING");
        assertThat(answer.body().path("accountId").asText()).isNotBlank();
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.count(Endpoint.UPLOAD)).isEqualTo(1);
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
    }
}
