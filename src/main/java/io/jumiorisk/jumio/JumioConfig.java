package io.jumiorisk.jumio;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the product needs to know about the Jumio tenant it talks to. */
@ConfigMapping(prefix = "jumio")
public interface JumioConfig {

    /** {@code amer-1}, {@code emea-1} or {@code apac-1}; {@code US}, {@code EU} and {@code SG} are accepted too. */
    @WithDefault("amer-1")
    String region();

    /** Local runs only; deployed functions read the credentials from {@link #credentialsSecretId()}. */
    Optional<String> clientId();

    Optional<String> clientSecret();

    /** Secrets Manager secret holding {@code {"clientId": ..., "clientSecret": ...}}. */
    Optional<String> credentialsSecretId();

    Optional<String> authUrl();

    Optional<String> accountUrl();

    Optional<String> retrievalUrl();

    /**
     * {@code JUMIO_API_URL}: base of upload and finalize. Those URLs come from Jumio's answers; this only says which
     * origin besides the region's {@code api} host they may point at.
     */
    Optional<String> apiUrl();

    /**
     * {@code ALLOW_INSECURE_URLS}: lets the callback URL and the base URL overrides be plain {@code http} on any host
     * and port, as the local stack and the tests need. Never for a deployment that talks to Jumio.
     */
    @WithDefault("false")
    boolean allowInsecureUrls();

    /** Default workflow definition key for requests that name none. */
    Optional<String> workflowKey();

    /**
     * {@code JUMIO_USER_AGENT}, required: Jumio wants it to name the company and the application, which no default can
     * do. Optional here only so that its absence is reported by {@link JumioEndpoints} under its variable's name.
     */
    Optional<String> userAgent();

    /** Public URL of the callback route, without the token, which is added when a workflow starts. */
    Optional<String> callbackUrl();

    /** A token is replaced this long before it expires, so that no request goes out with a dying token. */
    @WithDefault("PT5M")
    Duration tokenRefreshMargin();

    /** Upper bound for one HTTP call; the Lambda's remaining time can make it shorter. */
    @WithDefault("PT8S")
    Duration callTimeout();
}
