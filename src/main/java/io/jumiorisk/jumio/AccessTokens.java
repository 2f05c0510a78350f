package io.jumiorisk.jumio;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jumiorisk.Deadline;

/**
 * The OAuth2 access token, kept in the warm container. Jumio asks integrators not to fetch a token per transaction:
 * it is reused until shortly before it expires, and concurrent refreshes collapse into one request.
 */
@ApplicationScoped
public class AccessTokens {
    private static final Logger LOG = Logger.getLogger(AccessTokens.class);

    private final TokenEndpoint endpoint;
    private final JumioConfig config;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private volatile Token current;

    public AccessTokens(TokenEndpoint endpoint, JumioConfig config) {
        this.endpoint = endpoint;
        this.config = config;
    }

    public String bearer(Deadline deadline) {
        Token token = current;
        if (token != null && token.fresh()) {
            return token.value();
        }
        refreshLock.lock();
        try {
            token = current;
            if (token == null || !token.fresh()) {
                current = token = fetch(deadline);
            }
            return token.value();
        } finally {
            refreshLock.unlock();
        }
    }

    /**
     * Jumio answered 401 to {@code rejected}. Only the first caller holding that token drops it, so that several
     * requests refused at once still lead to a single refresh.
     */
    public void invalidate(String rejected) {
        refreshLock.lock();
        try {
            Token token = current;
            if (token != null && token.value().equals(rejected)) {
                current = null;
            }
        } finally {
            refreshLock.unlock();
        }
    }

    private Token fetch(Deadline deadline) {
        long requestedAt = System.currentTimeMillis();
        TokenEndpoint.Grant grant = endpoint.fetch(deadline);
        // Replace early, by the configured margin, but never by more than a tenth of a short lifetime.
        long lifetime = Duration.ofSeconds(grant.expiresInSeconds()).toMillis();
        long margin = Math.min(config.tokenRefreshMargin().toMillis(), lifetime / 10);
        LOG.infof("jumio access token refreshed, valid for %d s", grant.expiresInSeconds());
        return new Token("Bearer " + grant.accessToken(), requestedAt + lifetime - margin);
    }

    private record Token(String value, long refreshAt) {
        boolean fresh() {
            return System.currentTimeMillis() < refreshAt;
        }

        @Override
        public String toString() {
            return "Token[refreshAt=" + refreshAt + "]";
        }
    }
}
