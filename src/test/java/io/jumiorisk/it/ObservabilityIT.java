package io.jumiorisk.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.EmfLines;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.jumiorisk.testing.XRayDaemon;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Metrics and traces in the native executable: the metric lines (written to the log file here, see
 * {@link Profiles.InitiateTraced}; on Lambda to standard output, the same lines), and the X-Ray SDK's subsegments for
 * Jumio and DynamoDB calls, which need reflection and resources
 * that only a native build can prove.
 */
@QuarkusIntegrationTest
@TestProfile(Profiles.InitiateTraced.class)
class ObservabilityIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT = "1-6a1f3c1e-3f0b4f439d830f1c1d1e1f11";
    static final String HEADER = "Root=" + ROOT + ";Parent=53995c3f42cd8ad9;Sampled=1";
    final JumioSimulator sim = TestServices.simulator();

    @Test
    void aTracedStartWritesMetricLinesAndSubsegments() throws Exception {
        sim.reset().noRateLimits().callbacks(false);
        XRayDaemon.drain(50);

        Response r = given().contentType("application/json").header("Lambda-Runtime-Aws-Request-Id", HEADER)
                .body(Events.postCheck(Checks.emailRisk(Checks.reference())).json()).when().post("/_lambda_");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.asString()).path("statusCode").asInt()).as(r.asString()).isEqualTo(202);

        List<JsonNode> subsegments = XRayDaemon.documents(XRayDaemon.drain(1000));
        assertThat(subsegments).allSatisfy(s -> assertThat(s.path("trace_id").asText()).isEqualTo(ROOT));
        assertThat(subsegments.stream().filter(s -> s.path("name").asText().equals("Jumio"))
                .map(s -> s.path("annotations").path("operation").asText()).collect(Collectors.toList()))
                .contains("account create", "prepared data upload", "finalize");
        assertThat(subsegments.stream().filter(s -> s.path("name").asText().equals("DynamoDb"))
                .map(s -> s.path("aws").path("operation").asText()).collect(Collectors.toList()))
                .contains("TransactWriteItems", "UpdateItem");
        assertThat(subsegments.toString()).doesNotContain(Checks.EMAIL).doesNotContain("Bearer");

        List<JsonNode> lines = EmfLines.inLog();
        assertThat(lines.stream().mapToInt(l -> l.path("ChecksStarted").asInt(0)).sum()).isPositive();
        assertThat(lines.stream().filter(l -> l.has("JumioCalls")).map(l -> l.path("operation").asText()))
                .contains("account_create", "prepared_data_upload", "finalize");
        lines.forEach(line -> assertThat(EmfLines.violations(line)).as(line.toString()).isEmpty());
    }
}
