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

    /**
     * {@code JUMIO_ERASE_CREDENTIALS_SECRET_ID}: the secret of the OAuth2 client with Jumio's "retrieve &amp; delete"
     * permission, read by the erase function only; without it erase uses the main client.
     */
    Optional<String> eraseCredentialsSecretId();

    /** Local runs only: the erasure client's id and secret. */
    Optional<String> eraseClientId();

    Optional<String> eraseClientSecret();

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

    /**
     * {@code JUMIO_TOKEN_LIFETIME}: the workflow token lifetime sent with each account request (Jumio's form, such as
     * {@code 5m}; Jumio's minimum is 5 minutes). The product uploads and finalizes within seconds, so a short
     * lifetime only shortens how long an unfinalized workflow lives: one that an ambiguous account answer left behind
     * then reveals itself by its expiry callback within minutes, and is deleted.
     */
    @WithDefault("5m")
    String tokenLifetime();

    /**
     * {@code JUMIO_AMBIGUOUS_START}: what a start does when Jumio's answer to the account request leaves it unsure
     * whether a workflow was created (a 5xx, no answer, a cut or incomplete answer), once that attempt is recorded:
     * {@code ANSWER} a retryable 503 (the caller's retry starts anew), or {@code REPEAT} the request at once.
     */
    @WithDefault("ANSWER")
    AmbiguousStart ambiguousStart();

    enum AmbiguousStart {
        ANSWER,
        REPEAT
    }

    /**
     * {@code JUMIO_MAX_START_ATTEMPTS}: how many ambiguous account answers a check takes before it fails for good
     * ({@code AMBIGUOUS_ACCOUNT_ANSWERS}), so that a Jumio that keeps answering that way cannot make retries create
     * workflows without end.
     */
    @WithDefault("5")
    int maxStartAttempts();

    /**
     * {@code JUMIO_ACCOUNT_RATE_PER_SECOND}: account requests per second that the tenant allows (Jumio's usual limit
     * is 1); every container together keeps under it ({@link AccountPacer}). 0 turns pacing off.
     */
    @WithDefault("1")
    double accountRatePerSecond();

    /** {@code JUMIO_ACCOUNT_BURST}: account requests the tenant allows at once after a pause. */
    @WithDefault("5")
    int accountBurst();

    /** A token is replaced this long before it expires, so that no request goes out with a dying token. */
    @WithDefault("PT5M")
    Duration tokenRefreshMargin();

    /** Upper bound for one HTTP call; the Lambda's remaining time can make it shorter. */
    @WithDefault("PT8S")
    Duration callTimeout();
}
