package io.jumiorisk.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Metrics and traces of a real start, through the Lambda event path: the invocation's metric lines, an X-Ray subsegment
 * for every Jumio and DynamoDB call under the invocation's trace, the trace id in every log line of the invocation,
 * and nothing personal or secret in any of them. Last, every metric line the suite has written so far is checked
 * against the specification ({@link EmfLines}); the fault suite checks them after every scenario as well.
 */
@QuarkusTest
@TestProfile(Profiles.InitiateTraced.class)
class ObservabilityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT = "1-6a1f3c1e-3f0b4f439d830f1c1d1e1f10";
    /** Lambda's trace header; the test event server hands it to the function as given here. */
    static final String HEADER = "Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1";
    final JumioSimulator sim = TestServices.simulator();

    @Test
    void aTracedStartIsMeasuredAndTraced() throws Exception {
        sim.reset().noRateLimits().callbacks(false);
        XRayDaemon.drain(50);
        int metricLinesBefore = EmfLines.inLog().size();

        Response r = given().contentType("application/json").header("Lambda-Runtime-Aws-Request-Id", HEADER)
                .body(Events.postCheck(Checks.emailRisk(Checks.reference())).json()).when().post("/_lambda_");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.asString());
        assertThat(answer.path("statusCode").asInt()).as(r.asString()).isEqualTo(202);
        String checkId = JSON.readTree(answer.path("body").asText()).path("checkId").asText();

        // Metrics: this invocation's lines, after the answer (they are written before it goes back).
        List<JsonNode> lines = EmfLines.inLog().subList(metricLinesBefore, EmfLines.inLog().size());
        assertThat(lines).isNotEmpty();
        lines.forEach(line -> assertThat(EmfLines.violations(line)).as(line.toString()).isEmpty());
        assertThat(lines).allSatisfy(line -> assertThat(line.path("function").asText()).isEqualTo("initiate"));
        assertThat(lines.stream().mapToInt(l -> l.path("ChecksStarted").asInt(0)).sum()).isEqualTo(1);
        assertThat(lines.stream().filter(l -> l.has("JumioCalls")).map(l -> l.path("operation").asText()))
                .contains("account_create", "prepared_data_upload", "finalize");
        assertThat(lines.stream().filter(l -> l.has("JumioCalls")).map(l -> l.path("result").asText()))
                .containsOnly("2xx");

        // Traces: every Jumio exchange and every DynamoDB request, under the invocation's trace.
        List<JsonNode> subsegments = XRayDaemon.documents(XRayDaemon.drain(500));
        assertThat(subsegments).allSatisfy(s -> {
            assertThat(s.path("trace_id").asText()).isEqualTo(ROOT);
            assertThat(s.path("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
            assertThat(s.path("type").asText()).isEqualTo("subsegment");
        });
        List<String> jumio = subsegments.stream().filter(s -> s.path("name").asText().equals("Jumio"))
                .map(s -> s.path("annotations").path("operation").asText()).collect(Collectors.toList());
        assertThat(jumio).contains("account create", "prepared data upload", "finalize");
        assertThat(subsegments.stream().filter(s -> s.path("name").asText().equals("Jumio")))
                .allSatisfy(s -> {
                    assertThat(s.path("namespace").asText()).isEqualTo("remote");
                    assertThat(s.path("http").path("response").path("status").asInt()).isBetween(200, 299);
                });
        List<JsonNode> dynamo = subsegments.stream().filter(s -> s.path("name").asText().equals("DynamoDb"))
                .collect(Collectors.toList());
        assertThat(dynamo.stream().map(s -> s.path("aws").path("operation").asText()))
                .contains("TransactWriteItems", "UpdateItem");
        assertThat(dynamo).allSatisfy(s -> assertThat(s.path("namespace").asText()).isEqualTo("aws"));

        // Nothing personal or secret in the subsegments or the metric lines.
        String traced = subsegments.toString() + lines;
        for (String secret : List.of(Checks.EMAIL, sim.clientSecret(), TestServices.CALLBACK_TOKEN, checkId,
                "Bearer")) {
            assertThat(traced).doesNotContain(secret);
        }

        // The trace id is in every log line the invocation wrote.
        List<JsonNode> logLines = Files.readAllLines(EmfLines.LOG).stream().filter(l -> l.contains(checkId))
                .map(ObservabilityTest::json).collect(Collectors.toList());
        assertThat(logLines).isNotEmpty();
        assertThat(logLines).allSatisfy(l -> assertThat(l.path("mdc").path("traceId").asText()).isEqualTo(ROOT));

        // An untraced invocation sends nothing and has no trace id.
        given().contentType("application/json").body(Events.postCheck(Checks.emailRisk(Checks.reference())).json())
                .when().post("/_lambda_").then().statusCode(200);
        assertThat(XRayDaemon.drain(300)).isEmpty();

        assertThat(EmfLines.violationsInLog()).isEmpty();
    }

    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
