package io.jumiorisk;

import java.time.Duration;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * The instant by which an invocation must have answered. Every outbound call takes its timeout from here, so that a
 * slow Jumio can never make the Lambda itself time out with state half-written.
 */
public record Deadline(long epochMillis) {

    /** Lambda's hard limit; a larger "remaining time" means the runtime sent no deadline at all. */
    private static final long MAX_LAMBDA_MILLIS = Duration.ofMinutes(15).toMillis();

    public static Deadline in(Duration budget) {
        return new Deadline(System.currentTimeMillis() + budget.toMillis());
    }

    /**
     * The runtime's deadline, or {@code fallback} from now when there is none: the test event server and some local
     * tools send no deadline header, and Quarkus then reports a meaningless remaining time.
     */
    public static Deadline of(Context context, Duration fallback) {
        if (context != null) {
            long remaining = context.getRemainingTimeInMillis();
            if (remaining > 0 && remaining <= MAX_LAMBDA_MILLIS) {
                return new Deadline(System.currentTimeMillis() + remaining);
            }
        }
        return in(fallback);
    }

    /** This deadline or {@code budget} from now, whichever comes first. */
    public Deadline within(Duration budget) {
        return new Deadline(Math.min(epochMillis, System.currentTimeMillis() + budget.toMillis()));
    }

    public long remainingMillis() {
        return epochMillis - System.currentTimeMillis();
    }

    /** Time left for one call: capped by {@code cap}, keeping {@code reserve} back for the work after it. */
    public Duration budget(Duration reserve, Duration cap) {
        long left = remainingMillis() - reserve.toMillis();
        return Duration.ofMillis(Math.max(0, Math.min(left, cap.toMillis())));
    }
}
