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

    /** Default workflow definition key for requests that name none. */
    Optional<String> workflowKey();

    @WithDefault("JumioRiskLambda/1.0")
    String userAgent();

    /** Public URL of the callback route, without the token, which is added when a workflow starts. */
    Optional<String> callbackUrl();

    /** A token is replaced this long before it expires, so that no request goes out with a dying token. */
    @WithDefault("PT5M")
    Duration tokenRefreshMargin();

    /** Upper bound for one HTTP call; the Lambda's remaining time can make it shorter. */
    @WithDefault("PT8S")
    Duration callTimeout();
}
