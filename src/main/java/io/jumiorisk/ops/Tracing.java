package io.jumiorisk.ops;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * X-Ray subsegments for the calls a function makes: one around each Jumio exchange ({@link #jumio}), one per AWS SDK
 * request (DynamoDB, Step Functions, Secrets Manager) through {@link XRayInterceptor}. Lambda opens the function's
 * segment itself; these hang under it.
 * <p>
 * Switched by the function's tracing mode ({@code TRACING}, template parameter {@code Tracing}): with anything but
 * {@code Active}, in an invocation that Lambda does not sample, and outside Lambda (no trace header), nothing is
 * recorded and the X-Ray SDK is not even loaded ({@link XRay} is), so tests and local runs pay nothing and need no
 * daemon.
 */
@ApplicationScoped
public class Tracing {
    private final boolean enabled;
    private final OpsConfig.TracingSettings config;
    private volatile XRay xray;

    public Tracing(OpsConfig config) {
        this.config = config.tracing();
        this.enabled = "active".equalsIgnoreCase(this.config.mode().trim());
    }

    /** Whether the current invocation is traced: tracing is on and Lambda sampled it. */
    public boolean active() {
        if (!enabled) {
            return false;
        }
        TraceHeader header = TraceHeader.current();
        return header != null && header.sampled();
    }

    /** A call that ends a subsegment; does nothing when the invocation is not traced. */
    public interface Span {
        /**
         * @param status the HTTP status, 0 when no answer came
         * @param result the result class ({@link Metrics#resultClass}, {@code timeout}, {@code network})
         */
        void end(int status, String result);
    }

    private static final Span NONE = (status, result) -> {
    };

    /** A subsegment around one exchange with Jumio. */
    public Span jumio(String operation) {
        return active() ? xray().jumio(operation) : NONE;
    }

    /** The X-Ray SDK's interceptor for AWS SDK clients, for {@link XRayInterceptor} in a traced invocation. */
    ExecutionInterceptor sdkInterceptor() {
        return xray().sdkInterceptor();
    }

    private XRay xray() {
        XRay x = xray;
        if (x == null) {
            synchronized (this) {
                if (xray == null) {
                    xray = new XRay(config.daemonAddress().orElse(null));
                }
                x = xray;
            }
        }
        return x;
    }
}
