package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.jumiorisk.sim.AfterProcessing;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.JumioSimulator;
import io.jumiorisk.sim.LinkShape;
import io.jumiorisk.sim.TokenFormat;
import io.jumiorisk.testing.Checks;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.Profiles;
import io.jumiorisk.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The start relies only on what Jumio's documentation guarantees: upload and finalize go only to Jumio's API host, a
 * refused repeat of finalize is settled by the status API, and the access token's lifetime is the JWT's.
 */
@QuarkusTest
@TestProfile(Profiles.Initiate.class)
class JumioConformanceTest {
    final JumioSimulator sim = TestServices.simulator();

    @BeforeEach
    void reset() {
        sim.reset().noRateLimits().callbacks(false);
    }

    @ParameterizedTest
    @EnumSource(value = LinkShape.class, names = {"OTHER_HOST", "OTHER_PORT", "USER_INFO", "OTHER_ACCOUNT",
            "OTHER_WORKFLOW"})
    void anUploadUrlOffJumiosApiHostGetsNothingAndFailsTheCheck(LinkShape shape) {
        sim.uploadLink(shape);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(502);
        assertThat(answer.body().path("errorType").asText()).isEqualTo("io.jumiorisk.errors.JumioRejected");
        assertThat(answer.body().path("detail").asText()).contains("UNTRUSTED_URL_UPLOAD")
                .doesNotContain("evil.example.com").doesNotContain("pw@");
        assertThat(sim.count(Endpoint.UPLOAD)).isZero();
        assertThat(sim.count(Endpoint.FINALIZE)).isZero();
        assertThat(sim.strayRequests()).isEmpty();
        assertThat(failureReason()).isEqualTo("UNTRUSTED_URL_UPLOAD");
    }

    @ParameterizedTest
    @EnumSource(value = LinkShape.class, names = {"OTHER_HOST", "OTHER_PORT", "USER_INFO", "OTHER_ACCOUNT",
            "OTHER_WORKFLOW"})
    void aFinalizeUrlOffJumiosApiHostGetsNothingAndFailsTheCheck(LinkShape shape) {
        sim.finalizeLink(shape);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(502);
        assertThat(sim.count(Endpoint.FINALIZE)).isZero();
        assertThat(sim.strayRequests()).isEmpty();
        assertThat(failureReason()).isEqualTo("UNTRUSTED_URL_FINALIZE");
    }

    @Test
    void anUploadUrlWithoutTheWorkflowSegmentIsJumiosOwnShape() {
        sim.uploadLink(LinkShape.NO_WORKFLOW_SEGMENT);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.UPLOAD)).isEqualTo(1);
    }

    @Test
    void aResumedStartChecksTheStoredUrlsAgain() {
        String body = Checks.emailRisk(Checks.reference());
        sim.failNext(Endpoint.UPLOAD, 503, 100);
        Lambda.HttpAnswer failed = Lambda.http(Events.postCheck(body));
        assertThat(failed.status()).isEqualTo(503);
        String checkId = failed.body().path("checkId").asText();
        // Someone with write access to the table points the stored upload URL elsewhere.
        TestServices.dynamo().updateItem(u -> u.tableName(TestServices.TABLE)
                .key(Map.of("pk", AttributeValue.fromS("CHECK#" + checkId)))
                .updateExpression("SET preparedDataUrl = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS("https://evil.example.com/api/v1/x"))));
        sim.clearFaults().resetCounts();

        Lambda.HttpAnswer resumed = Lambda.http(Events.postCheck(body));

        assertThat(resumed.status()).as(resumed.rawBody()).isEqualTo(502);
        assertThat(sim.count(Endpoint.UPLOAD)).isZero();
        assertThat(TestServices.item("CHECK#" + checkId).get("failureReason").s()).isEqualTo("UNTRUSTED_URL_UPLOAD");
    }

    /**
     * Jumio takes finalize but its answer is lost (502), so finalize goes again, and Jumio refuses the repeat in a way
     * its documentation does not describe: the status API, not that refusal, says the workflow is being processed.
     */
    @ParameterizedTest
    @ValueSource(ints = {409, 400})
    void aRefusedRepeatOfFinalizeIsSettledByTheStatusApi(int refusal) {
        sim.processingDelayMillis(60_000).afterProcessingNext(Endpoint.FINALIZE, AfterProcessing.BAD_GATEWAY, 1)
                .repeatFinalizeStatus(refusal);

        Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(answer.status()).as(answer.rawBody()).isEqualTo(202);
        assertThat(answer.body().path("status").asText()).isEqualTo("PENDING");
        assertThat(sim.count(Endpoint.FINALIZE)).isEqualTo(2);
        assertThat(sim.count(Endpoint.STATUS)).isEqualTo(1);
        String checkId = answer.body().path("checkId").asText();
        assertThat(TestServices.item("CHECK#" + checkId).get("step").s()).isEqualTo("FINALIZED");
        assertThat(sim.workflowIds()).hasSize(1);
    }

    @Test
    void theSameAccessTokenHandedOutAgainIsRefreshedByItsExpClaim() throws InterruptedException {
        // Every token Jumio hands out lives 2 s by its exp claim, while expires_in claims the full hour.
        sim.accessTokenFormat(TokenFormat.JWT_GZIP).reuseAccessTokens(true).accessTokenExpSeconds(2).revokeAllTokens();

        // The container's cached token is refused once; the fresh one is Jumio's 2-second token.
        assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).status()).isEqualTo(202);
        Thread.sleep(2_500);
        sim.resetCounts();
        Lambda.HttpAnswer later = Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference())));

        assertThat(later.status()).as(later.rawBody()).isEqualTo(202);
        assertThat(sim.count(Endpoint.TOKEN)).as("refreshed by exp").isEqualTo(1);
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).as("not after a refusal: no 401 first").isEqualTo(1);
    }

    @Test
    void aTokenThatIsNotAReadableJwtLivesAsLongAsExpiresInSays() {
        sim.accessTokenFormat(TokenFormat.OPAQUE).revokeAllTokens();

        for (int i = 0; i < 3; i++) {
            assertThat(Lambda.http(Events.postCheck(Checks.emailRisk(Checks.reference()))).status()).isEqualTo(202);
        }
        assertThat(sim.count(Endpoint.TOKEN)).isEqualTo(1);
    }

    @Test
    void anUndecodableBase64BodyIsA400() {
        for (String garbage : new String[]{"!!!not base64", "eyJ@@@", "e30====="}) {
            Lambda.HttpAnswer answer = Lambda.http(Events.postCheck(garbage).claimedBase64());
            assertThat(answer.status()).as(garbage).isEqualTo(400);
            assertThat(answer.body().path("detail").asText()).contains("base64");
        }
        assertThat(sim.count(Endpoint.ACCOUNT_CREATE)).isZero();
    }

    /** The failure reason of the check that the simulator's only workflow belongs to. */
    private String failureReason() {
        String workflow = sim.workflowIds().iterator().next();
        String checkId = TestServices.item("WX#" + workflow).get("checkId").s();
        return TestServices.item("CHECK#" + checkId).get("failureReason").s();
    }
}
