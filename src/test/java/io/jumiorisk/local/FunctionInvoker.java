package io.jumiorisk.local;

/**
 * Invokes a Lambda function synchronously (invocation type {@code RequestResponse}) by name. {@link HttpApiGateway}
 * calls this; {@link RuntimeApiFunctionInvoker} backs it with {@link LambdaRuntimeApi} emulators, and tests may
 * plug in anything else (a lambda, or a forwarder to Quarkus's test-mode mock event server).
 */
@FunctionalInterface
public interface FunctionInvoker {

    /**
     * @param functionName the function's name, e.g. {@code initiate}
     * @param eventJson the event, as JSON
     * @return the outcome; never {@code null}
     */
    InvocationResult invoke(String functionName, String eventJson);
}
