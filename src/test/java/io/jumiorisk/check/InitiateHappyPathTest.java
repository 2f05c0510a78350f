package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.RecordedRequest;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class InitiateHappyPathTest {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    @Test
    void emailRiskStartsOneWorkflowAndRecordsItWithoutPersonalData() {
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        JsonNode view = answer.body();
        String checkId = view.path("checkId").asText();
        assertThat(view.path("status").asText()).isEqualTo("PENDING");
        assertThat(view.path("accountId").asText()).isNotBlank();
        assertThat(view.path("workflowExecutionId").asText()).isNotBlank();
        assertThat(view.path("links").path("self").asText()).isEqualTo("/checks/" + checkId);
        assertThat(answer.header("location")).isEqualTo("/checks/" + checkId);
        assertThat(answer.header("content-type")).isEqualTo("application/json");

        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.count(Endpoint.UPLOAD)).isEqualTo(1);
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(1);
        String wx = view.path("workflowExecutionId").asText();
        assertThat(sim.uploadedData(wx).path("email").asText()).isEqualTo(Checks.EMAIL);
        assertThat(sim.workflowStatus(wx)).isIn("ACQUIRED", "PROCESSED");

        RecordedRequest account = sim.requests(Endpoint.ACCOUNT_CREATE).get(0);
        assertThat(account.header("User-Agent")).isEqualTo("AcmeBank Onboarding/2.1 (jumio-risk-lambda tests)");
        assertThat(account.header("Authorization")).startsWith("Bearer ");
        assertThat(account.json().path("workflowDefinition").path("key").asLong()).isEqualTo(10066);
        assertThat(account.json().path("callbackUrl").asText())
                .isEqualTo(TestServices.callbackUrlFor(checkId, TestServices.CALLBACK_TOKEN));
        assertThat(account.json().has("preparedData")).isFalse();
        RecordedRequest upload = sim.requests(Endpoint.UPLOAD).get(0);
        assertThat(upload.header("Authorization")).isNotEqualTo(account.header("Authorization"));

        Map<String, AttributeValue> item = TestServices.item("CHECK#" + checkId);
        assertThat(item.get("step").s()).isEqualTo("FINALIZED");
        assertThat(item.get("status").s()).isEqualTo("PENDING");
        assertThat(item.get("accountId").s()).isEqualTo(view.path("accountId").asText());
        assertThat(item).doesNotContainKeys("sealedToken", "preparedDataUrl", "workflowExecutionUrl", "leaseOwner");
        long ttl = Long.parseLong(item.get("expiresAt").n());
        assertThat(ttl).isBetween(Instant.now().plusSeconds(29 * 86400L).getEpochSecond(),
                Instant.now().plusSeconds(31 * 86400L).getEpochSecond());
        assertThat(TestServices.item("WX#" + wx).get("checkId").s()).isEqualTo(checkId);
        assertThat(item.toString()).doesNotContain(Checks.EMAIL, "198.51.100.23");
    }

    @Test
    void ekycPreparedDataReachesJumioUnchanged() {
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.ekyc(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        JsonNode uploaded = sim.uploadedData(answer.body().path("workflowExecutionId").asText());
        assertThat(uploaded.path("lastName").asText()).isEqualTo(Checks.LAST_NAME);
        assertThat(uploaded.path("socialSecurityNumber").asText()).isEqualTo(Checks.SSN);
        assertThat(uploaded.path("address").path("country").asText()).isEqualTo("USA");
        assertThat(uploaded.path("id").path("type").asText()).isEqualTo("DRIVING_LICENSE");
        assertThat(sim.requests(Endpoint.ACCOUNT_CREATE).get(0).json().path("workflowDefinition").path("key").asLong())
                .isEqualTo(10148);
    }

    @Test
    void phoneRiskWithABase64Body() {
        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.phoneRisk(Checks.reference())).base64Body());

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.uploadedData(answer.body().path("workflowExecutionId").asText()).path("phoneNumber").asText())
                .isEqualTo(Checks.PHONE);
    }

    @Test
    void anExistingAccountIsUpdatedWithPut() {
        String first = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).body().path("accountId")
                .asText();
        String body = """
                {"customerInternalReference":"%s","workflowDefinitionKey":"10066","accountId":"%s",
                 "preparedData":{"email":"second@example.com"}}""".formatted(Checks.reference(), first);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(answer.body().path("accountId").asText()).isEqualTo(first);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isEqualTo(1);
        assertThat(sim.count(Endpoint.ACCOUNT_UPDATE)).isEqualTo(1);
        assertThat(sim.requests(Endpoint.ACCOUNT_UPDATE).get(0).path()).endsWith("/accounts/" + first);
    }

    @Test
    void anUnknownAccountIsAFinalJumioRejection() {
        String body = """
                {"customerInternalReference":"%s","workflowDefinitionKey":10066,"accountId":"0b3e3a4c-1111-4222-8333-944455556666",
                 "preparedData":{"email":"x@example.com"}}"""
                .formatted(Checks.reference());

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(body));

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
        assertThat(answer.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.JumioRejected");
        assertThat(sim.count(Endpoint.ACCOUNT_UPDATE)).as("4xx are not retried").isEqualTo(1);

        Lambda.HttpAnswer repeat = Lambda.http(Events.postCheck(body));
        assertThat(repeat.status()).as("a repeat gets the same answer").isEqualTo(502);
        assertThat(repeat.body().path("detail").asText()).contains("JUMIO_404_ACCOUNT");
        assertThat(sim.count(Endpoint.ACCOUNT_UPDATE)).as("and calls nothing").isEqualTo(1);
    }
}
