package io.jumiorisk.jumio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The startup checks of the settings that reach Jumio: each failure names the variable to fix. */
class ConfigRulesTest {
    /** What the product appends to the callback URL at most, in the signed form. */
    private static final int APPENDED = 112;

    @ParameterizedTest
    @ValueSource(strings = {"Acme Onboarding/1.4", "AcmeBank Onboarding/2.1 (jumio-risk-lambda tests)",
            "ExampleCo JumioRiskSignals/1.0.0-local", "Acme-Onboarding/v2", "Acme Onboarding/1.4 okhttp/4.12.0",
            "  Acme Onboarding/1.4  "})
    void userAgentsThatNameTheApplication(String value) {
        assertThat(ConfigRules.userAgent(Optional.of(value))).isEqualTo(value.trim());
    }

    @Test
    void aMissingUserAgentNamesTheVariable() {
        for (Optional<String> missing : new Optional[]{Optional.empty(), Optional.of(""), Optional.of("   ")}) {
            assertThatThrownBy(() -> ConfigRules.userAgent(missing)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("JUMIO_USER_AGENT is not set")
                    .hasMessageContaining("\"Acme Onboarding/1.4\"");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme Onboarding", "Acme", "Onboarding/", "/1.4", "Acme Onboarding/beta",
            "Acme (Onboarding/1.4)", "Acme Onboarding/1.4;x=1"})
    void userAgentsWithoutANameVersionToken(String value) {
        assertThatThrownBy(() -> ConfigRules.userAgent(Optional.of(value)))
                .hasMessageStartingWith("JUMIO_USER_AGENT is not usable: it has no Name/version product token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Java-http-client/17.0.9", "okhttp/4.12.0", "curl/8.5.0", "Apache-HttpClient/4.5.14 (Java)",
            "python-requests/2.31.0", "Go-http-client/1.1", "Mozilla/5.0 (X11; Linux x86_64)", "Acme okhttp/4.12.0",
            "JAVA-HTTP-CLIENT/21 Acme Onboarding/1.4"})
    void genericClientNamesAreRefused(String value) {
        assertThatThrownBy(() -> ConfigRules.userAgent(Optional.of(value)))
                .hasMessageStartingWith("JUMIO_USER_AGENT is not usable: its product")
                .hasMessageContaining("is a generic HTTP client");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme\tOnboarding/1.4", "Acme Onboarding/1.4\r\nX-Injected: 1", "Acme\u0000 App/1.0",
            "Acme Onboarding/1.4\u007f", "Acmé Onboarding/1.4"})
    void controlAndNonAsciiCharactersAreRefused(String value) {
        assertThatThrownBy(() -> ConfigRules.userAgent(Optional.of(value)))
                .hasMessageStartingWith("JUMIO_USER_AGENT is not usable: it holds a control or non-ASCII character");
    }

    @Test
    void userAgentsUpTo255Characters() {
        String longest = "Acme Onboarding/1.4 (" + "x".repeat(255 - 22) + ")";
        assertThat(longest).hasSize(255);
        assertThat(ConfigRules.userAgent(Optional.of(longest))).isEqualTo(longest);
        assertThatThrownBy(() -> ConfigRules.userAgent(Optional.of(longest.replace("(", "(x"))))
                .hasMessageStartingWith("JUMIO_USER_AGENT is not usable: it is longer than 255 characters");
    }

    // ------------------------------------------------------------------------------------------------ base URLs

    @Test
    void baseUrlOverridesAreHttpsUnlessInsecureUrlsAreAllowed() {
        assertThat(ConfigRules.baseUrl("JUMIO_API_URL", "https://api.amer-1.jumio.link/", false))
                .isEqualTo("https://api.amer-1.jumio.link");
        assertThat(ConfigRules.baseUrl("JUMIO_AUTH_URL", "https://auth.pre.example:8443/auth", false))
                .isEqualTo("https://auth.pre.example:8443/auth");
        assertThatThrownBy(() -> ConfigRules.baseUrl("JUMIO_AUTH_URL", "http://127.0.0.1:8080/auth", false))
                .hasMessageStartingWith("JUMIO_AUTH_URL must use https").hasMessageContaining("ALLOW_INSECURE_URLS");
        assertThat(ConfigRules.baseUrl("JUMIO_AUTH_URL", "http://127.0.0.1:8080/auth", true))
                .isEqualTo("http://127.0.0.1:8080/auth");
        assertThatThrownBy(() -> ConfigRules.baseUrl("JUMIO_ACCOUNT_URL", "ftp://account.example", true))
                .hasMessageStartingWith("JUMIO_ACCOUNT_URL must use https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@account.example", "https://account.example/?x=1",
            "https://account.example/#top", "account.example", "/account", "https://", "https://acc ount.example",
            "mailto:ops@account.example"})
    void baseUrlOverridesThatAreNoBaseUrl(String url) {
        assertThatThrownBy(() -> ConfigRules.baseUrl("JUMIO_ACCOUNT_URL", url, true))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("JUMIO_ACCOUNT_URL ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void theEndpointsCheckEveryOverrideAndTheUserAgentWhenResolved() {
        for (String[] setting : new String[][]{{"authUrl", "JUMIO_AUTH_URL"}, {"accountUrl", "JUMIO_ACCOUNT_URL"},
                {"retrievalUrl", "JUMIO_RETRIEVAL_URL"}, {"apiUrl", "JUMIO_API_URL"}}) {
            JumioConfig plainHttp = Configs.with(Map.of(setting[0], Optional.of("http://127.0.0.1:9000/x")));
            assertThatThrownBy(() -> new JumioEndpoints(plainHttp)).hasMessageStartingWith(setting[1]
                    + " must use https");
            JumioConfig allowed = Configs.with(Map.of(setting[0], Optional.of("http://127.0.0.1:9000/x/"),
                    "allowInsecureUrls", true));
            assertThatCode(() -> new JumioEndpoints(allowed)).doesNotThrowAnyException();
        }
        JumioEndpoints sim = new JumioEndpoints(Configs.with(Map.of("apiUrl", Optional.of("http://127.0.0.1:9000/api"),
                "allowInsecureUrls", true)));
        assertThat(sim.apiUrl()).isEqualTo("http://127.0.0.1:9000/api");
        assertThat(sim.authUrl()).isEqualTo("https://auth.amer-1.jumio.ai");
        assertThat(new JumioEndpoints(Configs.with(Map.of("region", "SG"))).apiUrl())
                .isEqualTo("https://api.apac-1.jumio.ai");
        assertThatThrownBy(() -> new JumioEndpoints(Configs.with(Map.of("userAgent", Optional.empty()))))
                .hasMessageStartingWith("JUMIO_USER_AGENT is not set");
        assertThatThrownBy(() -> new JumioEndpoints(Configs.with(Map.of("userAgent", Optional.of("curl/8.5.0")))))
                .hasMessageStartingWith("JUMIO_USER_AGENT is not usable");
    }

    // ------------------------------------------------------------------------------------------------ callback URL

    @ParameterizedTest
    @ValueSource(strings = {"https://abc123.execute-api.us-east-1.amazonaws.com/callbacks/jumio",
            "https://hooks.example.com/callbacks/jumio?tenant=eu", "https://HOOKS.example.com", "https://x.io/"})
    void callbackUrlsJumioAccepts(String url) {
        assertThatCode(() -> ConfigRules.callbackUrl(url, false, APPENDED)).doesNotThrowAnyException();
    }

    @Test
    void theCallbackUrlIsHttpsUnlessInsecureUrlsAreAllowed() {
        assertThatThrownBy(() -> ConfigRules.callbackUrl("http://hooks.example.com/cb", false, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL must use https")
                .hasMessageContaining("ALLOW_INSECURE_URLS");
        // The tests and the local stack: plain http to a loopback gateway on its own port.
        assertThatCode(() -> ConfigRules.callbackUrl("http://127.0.0.1:41234/callbacks/jumio", true, APPENDED))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ConfigRules.callbackUrl("ftp://hooks.example.com/cb", true, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL must use https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://203.0.113.7/cb", "https://[2001:db8::1]/cb", "https://3405803783/cb",
            "https://localhost/cb", "https://-bad-.example.com/cb"})
    void theCallbackHostIsAHostName(String url) {
        assertThatThrownBy(() -> ConfigRules.callbackUrl(url, false, APPENDED)).isInstanceOf(
                IllegalStateException.class).hasMessageStartingWith("JUMIO_CALLBACK_URL ");
    }

    @Test
    void theCallbackUrlHasNoPortFragmentOrUserInfo() {
        assertThatThrownBy(() -> ConfigRules.callbackUrl("https://hooks.example.com:8443/cb", false, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL must not name a port");
        assertThatThrownBy(() -> ConfigRules.callbackUrl("https://hooks.example.com/cb#x", false, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL must not have a fragment");
        assertThatThrownBy(() -> ConfigRules.callbackUrl("http://127.0.0.1:3000/cb#x", true, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL must not have a fragment");
        assertThatThrownBy(() -> ConfigRules.callbackUrl("https://u:pw@hooks.example.com/cb", false, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL must not carry user info")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw"));
        assertThatThrownBy(() -> ConfigRules.callbackUrl("hooks.example.com/cb", false, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL must be an absolute");
        assertThatThrownBy(() -> ConfigRules.callbackUrl("https://hooks.example.com/c b", false, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL is not a valid URL");
    }

    @Test
    void theCallbackUrlLeavesRoomForWhatTheProductAppends() {
        String prefix = "https://hooks.example.com/";
        String fits = prefix + "x".repeat(255 - APPENDED - prefix.length());
        assertThatCode(() -> ConfigRules.callbackUrl(fits, false, APPENDED)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ConfigRules.callbackUrl(fits + "x", false, APPENDED))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL is too long: it has 144 characters, the product appends"
                        + " up to 112, and Jumio accepts at most 255");
        assertThatThrownBy(() -> ConfigRules.callbackUrl(fits, false, APPENDED + 1))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL is too long");
    }
}
