package io.jumiorisk.jumio;

import java.net.http.HttpRequest;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.Deadline;
import io.jumiorisk.ops.Metrics;

/** Jumio's OAuth2 token endpoint (client credentials grant). */
@ApplicationScoped
public class TokenEndpoint {
    private static final int RETRIES = 4;

    private final JumioHttp http;
    private final String tokenUrl;
    private final Metrics metrics;

    public TokenEndpoint(JumioEndpoints endpoints, JumioHttp http, Metrics metrics) {
        this.http = http;
        this.tokenUrl = JumioHttp.url(endpoints.authUrl(), "/oauth2/token");
        this.metrics = metrics;
    }

    public Grant fetch(JumioCredentials credentials, Deadline deadline) {
        return JumioBackoff.retried(RETRIES, () -> fetchOnce(credentials, deadline));
    }

    private Grant fetchOnce(JumioCredentials credentials, Deadline deadline) {
        JsonNode body;
        try {
            body = http.exchange("token", deadline, JumioHttp.to(tokenUrl)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                    .header("Authorization", credentials.basicAuthorization())
                    .header("Content-Type", "application/x-www-form-urlencoded"));
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
