package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Runs checks through success and failure paths with distinctive personal data, then searches the whole table and
 * the application's log for that data and for every secret in play.
 */
@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class NoPersonalDataTest {
    final JumioSimulator sim = TestServices.simulator();

    @Test
    void neitherTheTableNorTheLogHoldsPersonalDataOrSecrets() throws Exception {
        sim.reset().noRateLimits().callbacks(false);
        assertThat(Lambda.http(Events.postCheck(Checks.ekyc(Checks.reference()))).status()).isEqualTo(202);
        assertThat(Lambda.http(Events.postCheck(Checks.phoneRisk(Checks.reference())).base64Body()).status())
                .isEqualTo(202);
        sim.failNext(Endpoint.UPLOAD, 503, 100);
        assertThat(Lambda.http(Events.postCheck(Checks.ekyc(Checks.reference()))).status()).isEqualTo(503);
        sim.clearFaults().failNext(Endpoint.UPLOAD, 400, 1);
        assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).status()).isEqualTo(502);
        String invalid = Checks.ekyc(Checks.reference()).replace("1990-04-12", "1990-99-12").replace(Checks.PHONE,
                "0" + Checks.PHONE);
        assertThat(Lambda.http(Events.postCheck(invalid)).status()).isEqualTo(400);
        assertThat(Lambda.direct(invalid).errorType()).isEqualTo("io.jumiorisk.errors.InvalidRequest");

        List<String> secrets = new ArrayList<>(List.of(Checks.EMAIL, Checks.PHONE, Checks.LAST_NAME, Checks.SSN,
                Checks.ID_NUMBER, "1990-04-12", "198.51.100.23", sim.clientSecret(), TestServices.CALLBACK_TOKEN));
        sim.requests(Endpoint.UPLOAD).forEach(r -> secrets.add(bearer(r.header("Authorization"))));
        sim.requests(Endpoint.ACCOUNT_CREATE).forEach(r -> secrets.add(bearer(r.header("Authorization"))));

        String table = TestServices.allItems().toString();
        String log = Files.readString(Path.of("target/test-app.log"));
        assertThat(log).contains("workflow finalized");
        for (String secret : secrets) {
            assertThat(table).as("table").doesNotContain(secret);
            assertThat(log).as("log").doesNotContain(secret);
        }
    }

    private static String bearer(String header) {
        return header.substring("Bearer ".length());
    }
}
