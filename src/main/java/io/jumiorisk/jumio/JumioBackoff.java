package io.jumiorisk.jumio;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Repeats a Jumio call that failed {@link JumioCallFailure.Transient transiently}, with exponential backoff and jitter
 * (a random pause between half and all of the exponential step), except that Jumio's own {@code Retry-After} wins when
 * it sent one. Never waits past the invocation's deadline: a pause that long was turned into
 * {@link JumioCallFailure.GiveUp} by {@link JumioHttp} already. Every other failure ends the call at once.
 */
final class JumioBackoff {
    private static final long BASE_MILLIS = 200;
    private static final long CAP_MILLIS = 4_000;

    private JumioBackoff() {
    }

    /** {@code call}, tried at most {@code 1 + retries} times. */
    static <T> T retried(int retries, Supplier<T> call) {
        return retried(retries, false, call);
    }

    /**
     * {@code call}, tried at most {@code 1 + retries} times, but only again after failures that surely left nothing at
     * Jumio (a 429, or a request that never left): for a request that creates something, where repeating an answer
     * that Jumio may have acted on could create it twice.
     */
    static <T> T retriedIfUnprocessed(int retries, Supplier<T> call) {
        return retried(retries, true, call);
    }

    private static <T> T retried(int retries, boolean onlyUnprocessed, Supplier<T> call) {
        for (int attempt = 0;; attempt++) {
            try {
                return call.get();
            } catch (JumioCallFailure.Transient e) {
                if (attempt >= retries || onlyUnprocessed && e.maybeProcessed()) {
                    throw e;
                }
                pause(delayMillis(attempt, e));
            }
        }
    }

    static long delayMillis(int attempt, JumioCallFailure.Transient cause) {
        long ceiling = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 10));
        long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        if (cause.retryAfterMillis() != null) {
            delay = cause.retryAfterMillis();
        }
        if (cause.deadline() != null) {
            delay = Math.max(0, Math.min(delay, cause.deadline().callMillisLeft()));
        }
        return delay;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a Jumio call", e);
        }
    }
}
