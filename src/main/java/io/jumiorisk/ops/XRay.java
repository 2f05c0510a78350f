package io.jumiorisk.ops;

import java.io.IOException;
import java.util.Map;

import org.jboss.logging.Logger;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;

import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The X-Ray SDK, kept behind {@link Tracing} so that its classes load only with the first traced call. Its recorder
 * sends subsegments to the daemon over UDP, uses Lambda's segment context (the function's segment comes from the trace
 * header), and ignores a missing context instead of logging an error.
 */
final class XRay {
    private static final Logger LOG = Logger.getLogger(XRay.class);

    private final AWSXRayRecorder recorder;
    private final ExecutionInterceptor sdk;

    XRay(String daemonAddress) {
        SegmentContextResolverChain contexts = new SegmentContextResolverChain();
        contexts.addResolver(LambdaSegmentContext::new);
        AWSXRayRecorderBuilder builder = AWSXRayRecorderBuilder.standard()
                .withSegmentContextResolverChain(contexts)
                .withContextMissingStrategy(new IgnoreErrorContextMissingStrategy())
                // Lambda decides the sampling (Sampled=1 in the trace header); this keeps the SDK from polling X-Ray
                // for sampling rules, which a function has no use for.
                .withSamplingStrategy(new AllSamplingStrategy());
        if (daemonAddress != null) {
            DaemonConfiguration daemon = new DaemonConfiguration();
            daemon.setDaemonAddress(daemonAddress);
            try {
                builder.withEmitter(Emitter.create(daemon));
            } catch (IOException e) {
                LOG.warnf("X-Ray emitter for %s not created, using the default: %s", daemonAddress,
                        e.getClass().getName());
            }
        }
        this.recorder = builder.build();
        // No account id, and the SDK's own list of request parameters worth recording (for DynamoDB the table name
        // and read consistency; never keys, items or expression values).
        this.sdk = new TracingInterceptor(recorder, null, null);
        LOG.info("X-Ray recorder ready");
    }

    ExecutionInterceptor sdkInterceptor() {
        return sdk;
    }

    /** Jumio's node in the service map; the operation as an annotation, the HTTP status and the error flags. */
    Tracing.Span jumio(String operation) {
        Subsegment subsegment = recorder.beginSubsegment("Jumio");
        subsegment.setNamespace("remote");
        subsegment.putAnnotation("operation", operation);
        return (status, result) -> {
            try {
                if (status > 0) {
                    subsegment.putHttp("response", Map.of("status", status));
                }
                switch (result) {
                    case "2xx" -> {
                    }
                    case "429" -> {
                        subsegment.setError(true);
                        subsegment.setThrottle(true);
                    }
                    case "4xx" -> subsegment.setError(true);
                    default -> subsegment.setFault(true);
                }
            } finally {
                recorder.endSubsegment();
            }
        };
    }
}
