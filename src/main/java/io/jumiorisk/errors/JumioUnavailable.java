package io.jumiorisk.errors;

import java.util.Map;

/** Jumio failed, throttled or was too slow past our retries. Transient: the same request can be retried safely. */
public final class JumioUnavailable extends ProductError {
    private final String checkId;

    /** @param checkId the check that is recorded and will resume on a retry, when one was recorded */
    public JumioUnavailable(String message, Long retryAfterSeconds, String checkId) {
        super(ErrorContract.JUMIO_UNAVAILABLE, message, retryAfterSeconds);
        this.checkId = checkId;
    }

    @Override
    public Map<String, Object> problemMembers() {
        return checkId == null ? Map.of() : Map.of("checkId", checkId);
    }
}
