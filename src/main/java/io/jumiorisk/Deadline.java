package io.jumiorisk;

import java.time.Duration;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * The instant by which an invocation must have answered, and the part of it that outbound calls may use. Every call
 * to Jumio or Step Functions takes its timeout from here and must end {@code reserveMillis} before the deadline, so
 * that the DynamoDB writes that follow the call and the answer itself always have their time: a slow Jumio can never
 * make the Lambda time out with state half-written.
 *
 * @param epochMillis when the invocation ends
 * @param reserveMillis how long before that the last outbound call must have ended
 */
public record Deadline(long epochMillis, long reserveMillis) {

    /** Lambda's hard limit; a larger "remaining time" means the runtime sent no deadline at all. */
    private static final long MAX_LAMBDA_MILLIS = Duration.ofMinutes(15).toMillis();

    /** {@code budget} from now, with no reserve (tools and tests that do their own writing). */
    public static Deadline in(Duration budget) {
        return new Deadline(System.currentTimeMillis() + budget.toMillis(), 0);
    }

    /**
     * The runtime's deadline, or {@code fallback} from now when there is none: the test event server and some local
     * tools send no deadline header, and Quarkus then reports a meaningless remaining time.
     */
    public static Deadline of(Context context, Duration fallback, Duration reserve) {
        long now = System.currentTimeMillis();
        long end = now + fallback.toMillis();
        if (context != null) {
            long remaining = context.getRemainingTimeInMillis();
            if (remaining > 0 && remaining <= MAX_LAMBDA_MILLIS) {
                end = now + remaining;
            }
        }
        return new Deadline(end, reserve.toMillis());
    }

    /** This deadline, with outbound calls limited to {@code callBudget} from now if that ends sooner. */
    public Deadline within(Duration callBudget) {
        long callsEnd = Math.min(epochMillis - reserveMillis, System.currentTimeMillis() + callBudget.toMillis());
        return new Deadline(callsEnd + reserveMillis, reserveMillis);
    }

    public long remainingMillis() {
        return epochMillis - System.currentTimeMillis();
    }

    /** Time left for outbound calls: up to the reserve; negative once that has begun. */
    public long callMillisLeft() {
        return remainingMillis() - reserveMillis;
    }

    /** Time left for one outbound call, capped by {@code cap}; zero once the reserve has begun. */
    public Duration callBudget(Duration cap) {
        return Duration.ofMillis(Math.max(0, Math.min(callMillisLeft(), cap.toMillis())));
    }
}
