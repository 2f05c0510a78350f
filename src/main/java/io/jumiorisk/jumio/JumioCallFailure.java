package io.jumiorisk.jumio;

/**
 * A Jumio call that did not succeed. Subclasses decide what the fault-tolerance layer may do with it; messages name
 * the operation and the HTTP status only, never a body, which could echo personal data.
 */
public abstract class JumioCallFailure extends RuntimeException {
    private final int status;

    protected JumioCallFailure(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    /** The HTTP status, or 0 when no response came. */
    public int status() {
        return status;
    }

    /** The pause Jumio asked for (Retry-After), in whole seconds and at least 1; null when it asked for none. */
    public Long retryAfterSeconds() {
        Long millis = this instanceof Transient t
                ? t.retryAfterMillis()
                : this instanceof GiveUp g ? g.retryAfterMillis() : null;
        return millis == null ? null : Math.max(1, (millis + 999) / 1000);
    }

    /** 429, 5xx, a timeout or a connection failure: worth another try after a pause. */
    public static final class Transient extends JumioCallFailure {
        private final Long retryAfterMillis;
        private final boolean maybeProcessed;
        private final transient io.jumiorisk.Deadline deadline;

        public Transient(String operation, int status, Long retryAfterMillis, boolean maybeProcessed,
                io.jumiorisk.Deadline deadline, Throwable cause) {
            super(status, operation + " failed transiently"
                    + (status == 0 ? " (no response)" : " with HTTP " + status), cause);
            this.retryAfterMillis = retryAfterMillis;
            this.maybeProcessed = maybeProcessed;
            this.deadline = deadline;
        }

        /** From Jumio's Retry-After header, when it sent one. */
        public Long retryAfterMillis() {
            return retryAfterMillis;
        }

        /** True when the request reached Jumio and it may have acted on it (a read timeout). */
        public boolean maybeProcessed() {
            return maybeProcessed;
        }

        public io.jumiorisk.Deadline deadline() {
            return deadline;
        }
    }

    /**
     * A transient failure that must not be retried now: the invocation is out of time, Jumio asked for a pause longer
     * than the time left, or a non-idempotent request may already have been processed.
     */
    public static final class GiveUp extends JumioCallFailure {
        private final Long retryAfterMillis;

        public GiveUp(String operation, int status, Long retryAfterMillis, String why) {
            super(status, operation + ": " + why, null);
            this.retryAfterMillis = retryAfterMillis;
        }

        public Long retryAfterMillis() {
            return retryAfterMillis;
        }
    }

    /** A 4xx other than 429: retrying the same request cannot help. */
    public static final class Rejected extends JumioCallFailure {
        public Rejected(String operation, int status, String title) {
            super(status, operation + " rejected by Jumio with HTTP " + status
                    + (title == null ? "" : " (" + title + ")"), null);
        }
    }
}
