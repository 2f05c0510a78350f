package io.jumiorisk.jumio;

import io.jumiorisk.Deadline;

/**
 * A Jumio call that did not succeed. Subclasses decide what the fault-tolerance layer may do with it; messages name
 * the operation and the HTTP status only, never a body, which could echo personal data.
 */
public abstract class JumioCallFailure extends RuntimeException {
    /** Jumio's answer, as kept in the record of an ambiguous account request: no HTTP answer came. */
    public static final String NO_ANSWER = "NO_ANSWER";
    /** An answer that broke off, or whose body could not be read. */
    public static final String CUT_ANSWER = "CUT_ANSWER";
    /** A 2xx that lacks what the next steps need (ids, the DATA credential). */
    public static final String INCOMPLETE_ANSWER = "INCOMPLETE_ANSWER";
    /** The connection never opened: the request did not leave. */
    public static final String NOT_SENT = "NOT_SENT";
    /** Not sent: the tenant's rate for account requests leaves no slot within this invocation. */
    public static final String RATE_USED_UP = "RATE_USED_UP";

    private final int status;
    private final String answer;
    private final Long retryAfterMillis;
    private final boolean maybeProcessed;

    protected JumioCallFailure(int status, String answer, Long retryAfterMillis, boolean maybeProcessed,
            String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.answer = answer;
        this.retryAfterMillis = retryAfterMillis;
        this.maybeProcessed = maybeProcessed;
    }

    /** The HTTP status, or 0 when no response came. */
    public int status() {
        return status;
    }

    /** What came back, as a short code: {@code HTTP_502}, {@link #NO_ANSWER}, {@link #CUT_ANSWER} ... */
    public String answer() {
        return answer;
    }

    /** From Jumio's Retry-After header, when it sent one. */
    public Long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** The pause Jumio asked for (Retry-After), in whole seconds and at least 1; null when it asked for none. */
    public Long retryAfterSeconds() {
        return retryAfterMillis == null ? null : Math.max(1, (retryAfterMillis + 999) / 1000);
    }

    /**
     * True when the request left and Jumio may have acted on it: a 5xx, no answer, a cut or unreadable answer. Only a
     * 429 (refused before any work) and a connection that never opened are known to have done nothing.
     */
    public boolean maybeProcessed() {
        return maybeProcessed;
    }

    static String httpAnswer(int status) {
        return "HTTP_" + status;
    }

    /** 429, 5xx, a timeout or a connection failure: worth another try after a pause, where that is safe. */
    public static final class Transient extends JumioCallFailure {
        private final transient Deadline deadline;

        public Transient(String operation, int status, String answer, Long retryAfterMillis, boolean maybeProcessed,
                Deadline deadline, Throwable cause) {
            super(status, answer, retryAfterMillis, maybeProcessed, operation + " failed transiently"
                    + (status == 0 ? " (no response)" : " with HTTP " + status), cause);
            this.deadline = deadline;
        }

        public Deadline deadline() {
            return deadline;
        }
    }

    /**
     * A transient failure that must not be retried now: the invocation is out of time, or Jumio asked for a pause
     * longer than the time left.
     */
    public static final class GiveUp extends JumioCallFailure {
        public GiveUp(String operation, int status, String answer, Long retryAfterMillis, boolean maybeProcessed,
                String why) {
            super(status, answer, retryAfterMillis, maybeProcessed, operation + ": " + why, null);
        }
    }

    /**
     * An account request that may have started a workflow at Jumio although we did not get it: Jumio documents no
     * idempotency for it, so it is never repeated blindly. The caller records the attempt before anything else.
     */
    public static final class Ambiguous extends JumioCallFailure {
        public Ambiguous(String operation, JumioCallFailure cause) {
            super(cause.status(), cause.answer(), cause.retryAfterMillis(), true,
                    operation + ": Jumio may have started a workflow (" + cause.answer() + ")", cause);
        }

        Ambiguous(String operation, String answer) {
            super(200, answer, null, true, operation + ": Jumio may have started a workflow (" + answer + ")", null);
        }
    }

    /** A 4xx other than 429: retrying the same request cannot help. */
    public static final class Rejected extends JumioCallFailure {
        public Rejected(String operation, int status, String title) {
            super(status, httpAnswer(status), null, false, operation + " rejected by Jumio with HTTP " + status
                    + (title == null ? "" : " (" + title + ")"), null);
        }
    }
}
