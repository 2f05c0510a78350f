package io.jumiorisk.jumio;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.ops.Metrics;
import io.smallrye.faulttolerance.api.CustomBackoff;

/** Jumio's OAuth2 token endpoint (client credentials grant). */
@ApplicationScoped
public class TokenEndpoint {
    private final JumioApis.Auth auth;
    private final JumioHttp http;
    private final String userAgent;
    private final Metrics metrics;

    public TokenEndpoint(JumioEndpoints endpoints, JumioHttp http, JumioConfig config, Metrics metrics) {
        this.auth = RestClients.build(JumioApis.Auth.class, endpoints.authUrl(), config);
        this.http = http;
        this.userAgent = endpoints.userAgent();
        this.metrics = metrics;
    }

    @Retry(maxRetries = 4, delay = 200, maxDuration = 60_000, retryOn = JumioCallFailure.Transient.class, abortOn = {
            JumioCallFailure.GiveUp.class, JumioCallFailure.Rejected.class})
    @CustomBackoff(JumioBackoff.class)
    public Grant fetch(JumioCredentials credentials, Deadline deadline) {
        JsonNode body;
        try {
            body = http.exchange("token", deadline,
                    () -> auth.token(credentials.basicAuthorization(), userAgent, "client_credentials"));
        } catch (JumioCallFailure.Rejected e) {
            // The secret may have been rotated since this container read it: the next fetch re-reads it.
            credentials.refresh();
            throw e;
        }
        JsonNode token = body.get("access_token");
        if (token == null || !token.isTextual()) {
            throw new JumioCallFailure.Transient("token", 200, JumioCallFailure.INCOMPLETE_ANSWER, null, false,
                    deadline,
                    null);
        }
        metrics.tokenFetched();
        long expiresIn = body.path("expires_in").asLong(3600);
        return new Grant(token.asText(), expiresIn > 0 ? expiresIn : 3600, JwtExpiry.of(token.asText()).orElse(null));
    }

    /**
     * @param expiresInSeconds what the answer said; it may state the full lifetime for a token handed out again
     * @param expiresAt the token's own {@code exp} claim, or null when the token cannot be read
     */
    public record Grant(String accessToken, long expiresInSeconds, Instant expiresAt) {
        @Override
        public String toString() {
            return "Grant[expiresInSeconds=" + expiresInSeconds + ", expiresAt=" + expiresAt + "]";
        }
    }
}
