package io.jumiorisk.jumio;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import io.jumiorisk.Deadline;

/**
 * One OAuth2 client's access token, kept in the warm container. Jumio asks integrators not to fetch a token per
 * transaction: it is reused until shortly before it expires, and concurrent refreshes collapse into one request.
 */
public class AccessTokens {
    private static final Logger LOG = Logger.getLogger(AccessTokens.class);

    private final TokenEndpoint endpoint;
    private final JumioCredentials credentials;
    private final JumioConfig config;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private volatile Token current;

    AccessTokens(TokenEndpoint endpoint, JumioCredentials credentials, JumioConfig config) {
        this.endpoint = endpoint;
        this.credentials = credentials;
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
        TokenEndpoint.Grant grant = endpoint.fetch(credentials, deadline);
        long expiresAt;
        if (grant.expiresAt() != null) {
            // Jumio may hand out a token again while expires_in still states the full lifetime: exp is the truth.
            expiresAt = grant.expiresAt().toEpochMilli();
            LOG.infof("jumio access token refreshed, valid for %d s by its exp claim (expires_in: %d s)",
                    (expiresAt - requestedAt) / 1000, grant.expiresInSeconds());
        } else {
            expiresAt = requestedAt + Duration.ofSeconds(grant.expiresInSeconds()).toMillis();
            LOG.infof("jumio access token refreshed, valid for %d s by expires_in (no readable exp claim)",
                    grant.expiresInSeconds());
        }
        if (expiresAt <= requestedAt) {
            LOG.warn("jumio access token had already expired by its exp claim when it came; used once, not kept");
        }
        return new Token("Bearer " + grant.accessToken(), refreshAt(requestedAt, expiresAt,
                config.tokenRefreshMargin()));
    }

    /**
     * When to replace a token: early, by {@code margin}, but never by more than a tenth of the time it had left when
     * it was requested, so that a short-lived (or handed-out-again, nearly spent) token is still used for most of
     * that time instead of being fetched again on every call.
     *
     * @return {@code requestedAt} itself for a token that had already expired: it serves the call that fetched it and
     * is never reused
     */
    static long refreshAt(long requestedAt, long expiresAt, Duration margin) {
        long lifetime = expiresAt - requestedAt;
        if (lifetime <= 0) {
            return requestedAt;
        }
        return expiresAt - Math.min(margin.toMillis(), lifetime / 10);
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
