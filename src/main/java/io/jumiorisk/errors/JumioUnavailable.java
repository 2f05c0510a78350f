package io.jumiorisk.errors;

import java.util.OptionalLong;

/** Jumio failed, throttled or was too slow past our retries. Transient: the same request can be retried safely. */
public final class JumioUnavailable extends ProductError {
    private final Long retryAfterSeconds;

    public JumioUnavailable(String message, Long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    @Override
    public boolean transientFailure() {
        return true;
    }

    @Override
    public int httpStatus() {
        return 503;
    }

    @Override
    public String code() {
        return "jumio-unavailable";
    }
}
