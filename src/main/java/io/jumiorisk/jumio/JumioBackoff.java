package io.jumiorisk.jumio;

import java.util.concurrent.ThreadLocalRandom;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff with jitter (a random delay between half and all of the exponential step), except that Jumio's
 * own {@code Retry-After} wins when it sent one. Never waits
 * past the invocation's deadline: a pause that long is turned into {@link JumioCallFailure.GiveUp} before we get here.
 */
public class JumioBackoff implements CustomBackoffStrategy {
    private static final long CAP_MILLIS = 4_000;
    private long base = 200;
    private int attempt;

    @Override
    public void init(long initialDelayInMillis) {
        if (initialDelayInMillis > 0) {
            base = initialDelayInMillis;
        }
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long ceiling = Math.min(CAP_MILLIS, base << Math.min(attempt++, 10));
        long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        if (cause instanceof JumioCallFailure.Transient t) {
            if (t.retryAfterMillis() != null) {
                delay = t.retryAfterMillis();
            }
            if (t.deadline() != null) {
                delay = Math.max(0, Math.min(delay, t.deadline().callMillisLeft()));
            }
        }
        return delay;
    }
}
