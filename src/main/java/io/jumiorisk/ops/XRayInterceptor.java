package io.jumiorisk.ops;

import io.quarkus.arc.Arc;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Puts each AWS SDK request (DynamoDB, Step Functions, Secrets Manager) into X-Ray as a subsegment, through the X-Ray
 * SDK's {@code TracingInterceptor}, but only in an invocation that {@link Tracing} traces: otherwise the X-Ray SDK is
 * never called, which keeps its cost and its "no segment" errors out of untraced functions, tests and local runs.
 * Named in {@code quarkus.dynamodb.interceptors} (the DynamoDB extension creates it) and added to the other clients
 * in {@code AwsClients}.
 */
public class XRayInterceptor implements ExecutionInterceptor {
    private static final ExecutionAttribute<ExecutionInterceptor> TRACED = new ExecutionAttribute<>(
            "JumioRiskXRayTraced");
    private volatile Tracing tracing;

    private Tracing tracing() {
        Tracing t = tracing;
        if (t == null) {
            tracing = t = Arc.container().instance(Tracing.class).get();
        }
        return t;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Tracing t = tracing();
        if (t.active()) {
            ExecutionInterceptor xray = t.sdkInterceptor();
            attributes.putAttribute(TRACED, xray);
            xray.beforeExecution(context, attributes);
        }
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        ExecutionInterceptor xray = attributes.getAttribute(TRACED);
        return xray == null ? context.httpRequest() : xray.modifyHttpRequest(context, attributes);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        ExecutionInterceptor xray = attributes.getAttribute(TRACED);
        if (xray != null) {
            xray.beforeTransmission(context, attributes);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        ExecutionInterceptor xray = attributes.getAttribute(TRACED);
        if (xray != null) {
            xray.afterExecution(context, attributes);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        ExecutionInterceptor xray = attributes.getAttribute(TRACED);
        if (xray != null) {
            xray.onExecutionFailure(context, attributes);
        }
    }
}
