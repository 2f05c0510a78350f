package io.jumiorisk.errors;

import java.util.OptionalLong;

/** Jumio failed, throttled or was too slow past our retries. Transient: the same request can be retried safely. */
public final class JumioUnavailable extends ProductError {
    private final Long retryAfterSeconds;
    private final String checkId;

    /** @param checkId the check that is recorded and will resume on a retry, when one was recorded */
    public JumioUnavailable(String message, Long retryAfterSeconds, String checkId) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
        this.checkId = checkId;
    }

    public String checkId() {
        return checkId;
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
