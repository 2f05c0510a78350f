package io.jumiorisk.lambda;

/**
 * An HTTP request refused before it reached the flow (wrong route, wrong media type, too large, not from Jumio):
 * answered as a plain problem ({@code about:blank}), never as a Lambda error.
 *
 * @param detail what to tell the caller; null to tell nothing
 * @param withInstance whether the answer names the route's path as its {@code instance}
 * @param allow the methods for an {@code Allow} header, or null
 */
final class Refusal extends RuntimeException {
    final int status;
    final String detail;
    final boolean withInstance;
    final String allow;

    Refusal(int status, String detail, boolean withInstance, String allow) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.detail = detail;
        this.withInstance = withInstance;
        this.allow = allow;
    }

    static Refusal of(int status, String detail) {
        return new Refusal(status, detail, true, null);
    }

    /** A 503: nothing was lost, and the same request may be sent again in a second (as {@code Retry-After} says). */
    static Refusal unavailable(String detail) {
        return new Refusal(503, detail, true, null);
    }
}
