package io.jumiorisk.jumio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jumiorisk.testing.StubJumioConfig;

/** Which upload and finalize URLs from Jumio's account answer the product sends to. */
class ApiUrlsTest {
    private static final String A = "3f2e6a8c-1b7d-4c2e-9a51-0d6f4b8e2c17";
    private static final String W = "9b1c7e24-5a3f-4d8b-8e6a-2f1d0c9b7a35";
    private static final String C = "c0ffee00-1234-4abc-8def-0123456789ab";
    private static final String OTHER = "00000000-0000-4000-8000-000000000000";
    private static final String API = "https://api.amer-1.jumio.ai";
    private static final String FINALIZE = API + "/api/v1/accounts/" + A + "/workflow-executions/" + W;
    private static final String UPLOAD = FINALIZE + "/credentials/" + C + "/parts/PREPARED_DATA";
    /** The shape seen in recorded real answers: no workflow segment. */
    private static final String SHORT_UPLOAD = API + "/api/v1/accounts/" + A + "/credentials/" + C
            + "/parts/PREPARED_DATA";

    private final ApiUrls regional = new ApiUrls(API, API);

    private static void refusedFinalize(ApiUrls urls, String url, String rule) {
        assertThatThrownBy(() -> urls.requireFinalize(url, A, W)).isInstanceOf(UntrustedUrl.class)
                .hasMessageContaining(rule).satisfies(e -> assertThat(e.getMessage()).doesNotContain(url));
    }

    private static void refusedUpload(ApiUrls urls, String url, String rule) {
        assertThatThrownBy(() -> urls.requirePreparedData(url, A, W)).isInstanceOf(UntrustedUrl.class)
                .hasMessageContaining(rule).satisfies(e -> assertThat(e.getMessage()).doesNotContain(url));
    }

    @Test
    void theRegionsApiHostWithTheAnswersIds() {
        assertThatCode(() -> regional.requireFinalize(FINALIZE, A, W)).doesNotThrowAnyException();
        assertThatCode(() -> regional.requirePreparedData(UPLOAD, A, W)).doesNotThrowAnyException();
        assertThatCode(() -> regional.requirePreparedData(SHORT_UPLOAD, A, W)).doesNotThrowAnyException();
    }

    @Test
    void theRegionComesFromTheConfiguration() {
        ApiUrls emea = ApiUrls.of(new JumioEndpoints(StubJumioConfig.defaults().withRegion("EU")));
        String finalize = FINALIZE.replace("amer-1", "emea-1");
        assertThatCode(() -> emea.requireFinalize(finalize, A, W)).doesNotThrowAnyException();
        refusedFinalize(emea, FINALIZE, "origin");
    }

    @Test
    void originsCompareAsOriginsDo() {
        // Host and scheme without regard to case, and the default port written out is the same origin.
        assertThatCode(() -> regional.requireFinalize(FINALIZE.replace("api.amer-1", "API.Amer-1"), A, W))
                .doesNotThrowAnyException();
        assertThatCode(() -> regional.requireFinalize(FINALIZE.replace("https:", "HTTPS:"), A, W))
                .doesNotThrowAnyException();
        assertThatCode(() -> regional.requireFinalize(FINALIZE.replace(".ai/", ".ai:443/"), A, W))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://api.amer-1.jumio.ai", // plain http
            "https://api.amer-1.jumio.ai:8443", // another port
            "https://api.emea-1.jumio.ai", // another region
            "https://account.amer-1.jumio.ai", // another Jumio host
            "https://api.amer-1.jumio.link", // the quick start's domain: only through JUMIO_API_URL
            "https://api.amer-1.jumio.ai.", // trailing dot
            "https://api.amer-1.jumio.ai.evil.example", // a suffix
            "https://evil-api.amer-1.jumio.ai", // a neighbour
            "https://127.0.0.1", "https://[::1]"})
    void anyOtherOriginIsRefused(String origin) {
        refusedFinalize(regional, FINALIZE.replace(API, origin), "origin");
        refusedUpload(regional, UPLOAD.replace(API, origin), "origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user@api.amer-1.jumio.ai", "https://user:secret@api.amer-1.jumio.ai",
            "https://api.amer-1.jumio.ai@evil.example", "https://api.amer-1.jumio.ai:443@evil.example"})
    void userInfoIsRefused(String prefix) {
        refusedFinalize(regional, FINALIZE.replace(API, prefix), "user info");
        refusedUpload(regional, UPLOAD.replace(API, prefix), "user info");
    }

    @Test
    void otherIdsAreRefused() {
        refusedFinalize(regional, FINALIZE.replace(A, OTHER), "account");
        refusedFinalize(regional, FINALIZE.replace(W, OTHER), "workflow");
        refusedUpload(regional, UPLOAD.replace(A, OTHER), "account");
        refusedUpload(regional, UPLOAD.replace(W, OTHER), "another workflow");
        refusedUpload(regional, SHORT_UPLOAD.replace(A, OTHER), "account");
        // The id in another case is another id, as far as this check goes.
        refusedFinalize(regional, FINALIZE.replace(W, W.toUpperCase()), "workflow");
        // A second workflow segment, or one in another case, must name the workflow too.
        refusedUpload(regional, SHORT_UPLOAD + "/workflow-executions/" + OTHER, "another workflow");
        refusedUpload(regional, SHORT_UPLOAD.replace("/credentials/", "/Workflow-Executions/" + OTHER
                + "/credentials/"), "another workflow");
        refusedUpload(regional, FINALIZE + "/workflow-executions", "another workflow");
    }

    @Test
    void finalizeIsExactlyTheWorkflowsPath() {
        refusedFinalize(regional, UPLOAD, "finalize path");
        refusedFinalize(regional, SHORT_UPLOAD, "finalize path");
        refusedFinalize(regional, API + "/api/v1/accounts/" + A, "finalize path");
        refusedFinalize(regional, FINALIZE.replace("workflow-executions", "Workflow-Executions"), "finalize path");
        refusedFinalize(regional, FINALIZE + "/", "segment");
        refusedFinalize(regional, API + "/v1/accounts/" + A + "/workflow-executions/" + W, "account");
        refusedFinalize(regional, API + "/api/v2/accounts/" + A + "/workflow-executions/" + W, "account");
    }

    @Test
    void uploadMustNameAPartOfTheAccount() {
        refusedUpload(regional, API + "/api/v1/accounts/" + A, "no part");
        refusedUpload(regional, API + "/api/v1/accounts/" + A + "/", "segment");
        refusedUpload(regional, API + "/api/v1/accounts", "account");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/accounts/" + A + "/workflow-executions/" + W + "/../../" + OTHER + "/workflow-executions/" + W,
            "/api/v1/accounts/" + A + "/workflow-executions/" + W + "/./credentials/x",
            "/api/v1/accounts/" + A + "/workflow-executions/" + W + "/%2E%2E/%2E%2E/" + OTHER,
            "/api/v1/accounts/" + A + "/workflow-executions/" + W + "%2F..%2F" + OTHER,
            "/api/v1/accounts/" + A + "%2Fworkflow-executions%2F" + W,
            "/api/v1/accounts/" + A + "/workflow-executions/" + W + "%00",
            "/api/v1/accounts/" + A + "/workflow-executions/" + W + ";jsessionid=x",
            "/api/v1/accounts/" + A + "/workflow-executions/" + W + "/..;/x",
            "/api/v1/accounts/" + A + "//workflow-executions/" + W,
            "/api/v1/%61ccounts/" + A + "/workflow-executions/" + W})
    void encodedAndDotSegmentsAreRefused(String path) {
        refusedUpload(regional, API + path, "segment");
        refusedFinalize(regional, API + path, "segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a url", "/api/v1/accounts/x", "api.amer-1.jumio.ai/api/v1/accounts/x",
            "mailto:someone@api.amer-1.jumio.ai", "https://api.amer-1.jumio.ai\\@evil.example/",
            "https:///api/v1/accounts/x", "ftp://api.amer-1.jumio.ai/api/v1/accounts/x"})
    void whatIsNotAnAbsoluteHttpsUrlIsRefused(String url) {
        assertThatThrownBy(() -> regional.requireFinalize(url, A, W)).isInstanceOf(UntrustedUrl.class);
        assertThatThrownBy(() -> regional.requirePreparedData(url, A, W)).isInstanceOf(UntrustedUrl.class);
    }

    @Test
    void noUrlOrIdsThatAreNoPlainSegment() {
        assertThatThrownBy(() -> regional.requireFinalize(null, A, W)).isInstanceOf(UntrustedUrl.class);
        assertThatThrownBy(() -> regional.requireFinalize(FINALIZE, null, W)).isInstanceOf(UntrustedUrl.class);
        assertThatThrownBy(() -> regional.requireFinalize(FINALIZE, A, null)).isInstanceOf(UntrustedUrl.class);
        String dots = API + "/api/v1/accounts/../workflow-executions/..";
        assertThatThrownBy(() -> regional.requireFinalize(dots, "..", "..")).isInstanceOf(UntrustedUrl.class)
                .hasMessageContaining("plain path segment");
        assertThatThrownBy(() -> regional.requirePreparedData(UPLOAD, A + "/x", W)).isInstanceOf(UntrustedUrl.class);
    }

    @Test
    void theConfiguredApiUrlIsAnotherAllowedOriginWithItsBasePath() {
        // As the simulator serves it: plain http on loopback (ALLOW_INSECURE_URLS), the api host under /api.
        ApiUrls sim = new ApiUrls(API, "http://127.0.0.1:41234/api");
        String base = "http://127.0.0.1:41234/api";
        String finalize = base + "/api/v1/accounts/" + A + "/workflow-executions/" + W;
        assertThatCode(() -> sim.requireFinalize(finalize, A, W)).doesNotThrowAnyException();
        assertThatCode(() -> sim.requirePreparedData(finalize + "/credentials/" + C + "/parts/PREPARED_DATA", A, W))
                .doesNotThrowAnyException();
        assertThatCode(() -> sim.requirePreparedData(base + "/api/v1/accounts/" + A + "/credentials/" + C
                + "/parts/PREPARED_DATA", A, W)).doesNotThrowAnyException();
        // The region's own api host stays allowed.
        assertThatCode(() -> sim.requireFinalize(FINALIZE, A, W)).doesNotThrowAnyException();
        // Same origin, but not under the base path; or another port, scheme or host.
        refusedFinalize(sim, "http://127.0.0.1:41234/api/v1/accounts/" + A + "/workflow-executions/" + W, "account");
        refusedFinalize(sim, "http://127.0.0.1:41234/other/api/v1/accounts/" + A + "/workflow-executions/" + W,
                "base path");
        refusedFinalize(sim, "http://127.0.0.1:41234/apiX/api/v1/accounts/" + A + "/workflow-executions/" + W,
                "base path");
        refusedFinalize(sim, finalize.replace(":41234", ":41235"), "origin");
        refusedFinalize(sim, finalize.replace("http:", "https:"), "origin");
        refusedFinalize(sim, finalize.replace("127.0.0.1", "localhost"), "origin");
        refusedFinalize(sim, finalize.replace("http://", "http://u:p@"), "user info");
    }

    @Test
    void aPreProductionApiHostThroughJumioApiUrl() {
        ApiUrls preprod = ApiUrls.of(new JumioEndpoints(Configs.with(Map.of("apiUrl",
                Optional.of("https://api.amer-1.jumio.link/")))));
        String finalize = "https://api.amer-1.jumio.link/api/v1/accounts/" + A + "/workflow-executions/" + W;
        assertThatCode(() -> preprod.requireFinalize(finalize, A, W)).doesNotThrowAnyException();
        assertThatCode(() -> preprod.requireFinalize(FINALIZE, A, W)).doesNotThrowAnyException();
        refusedFinalize(preprod, finalize.replace("https:", "http:"), "origin");
        refusedFinalize(preprod, finalize.replace(".link/", ".link:444/"), "origin");
    }
}
