package io.jumiorisk.testing;

import java.time.Duration;
import java.util.Optional;

import io.jumiorisk.jumio.JumioConfig;

/**
 * A {@link JumioConfig} for plain unit tests (no Quarkus): a region, local client credentials and an optional default
 * workflow key; everything else as the product's defaults, with no URL overrides and no Secrets Manager.
 */
public record StubJumioConfig(String region, Optional<String> clientId, Optional<String> clientSecret,
        Optional<String> workflowKey, Optional<String> callbackUrl) implements JumioConfig {

    /** amer-1, with credentials {@code client-id} / {@code client-secret} and no default workflow key. */
    public static StubJumioConfig defaults() {
        return new StubJumioConfig("amer-1", Optional.of("client-id"), Optional.of("client-secret"), Optional.empty(),
                Optional.empty());
    }

    public StubJumioConfig withRegion(String region) {
        return new StubJumioConfig(region, clientId, clientSecret, workflowKey, callbackUrl);
    }

    public StubJumioConfig withCredentials(String clientId, String clientSecret) {
        return new StubJumioConfig(region, Optional.of(clientId), Optional.of(clientSecret), workflowKey, callbackUrl);
    }

    public StubJumioConfig withWorkflowKey(String workflowKey) {
        return new StubJumioConfig(region, clientId, clientSecret, Optional.of(workflowKey), callbackUrl);
    }

    public StubJumioConfig withCallbackUrl(String url) {
        return new StubJumioConfig(region, clientId, clientSecret, workflowKey, Optional.of(url));
    }

    @Override
    public Optional<String> credentialsSecretId() {
        return Optional.empty();
    }

    @Override
    public Optional<String> authUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<String> accountUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<String> retrievalUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<String> apiUrl() {
        return Optional.empty();
    }

    @Override
    public boolean allowInsecureUrls() {
        return false;
    }

    @Override
    public Optional<String> userAgent() {
        return Optional.of("AcmeBank Onboarding/2.1 (jumio-risk-lambda unit tests)");
    }

    @Override
    public Duration tokenRefreshMargin() {
        return Duration.ofMinutes(5);
    }

    @Override
    public Duration callTimeout() {
        return Duration.ofSeconds(8);
    }

    @Override
    public String tokenLifetime() {
        return "5m";
    }

    @Override
    public AmbiguousStart ambiguousStart() {
        return AmbiguousStart.ANSWER;
    }

    @Override
    public int maxStartAttempts() {
        return 5;
    }

    @Override
    public Optional<String> eraseCredentialsSecretId() {
        return Optional.empty();
    }

    @Override
    public Optional<String> eraseClientId() {
        return Optional.empty();
    }

    @Override
    public Optional<String> eraseClientSecret() {
        return Optional.empty();
    }

    @Override
    public double accountRatePerSecond() {
        return 1;
    }

    @Override
    public int accountBurst() {
        return 5;
    }
}
