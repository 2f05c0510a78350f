package io.jumiorisk.lambda;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "functions")
public interface FunctionsConfig {
    /** Invocation budget when the runtime gives no deadline (local tools and the test event server). */
    @WithDefault("PT25S")
    Duration defaultBudget();

    /**
     * Time every invocation keeps back after its last call to Jumio or Step Functions, for the DynamoDB writes that
     * follow and the answer. {@link InvocationBudget} holds it to the DynamoDB write timeout at startup.
     */
    @WithDefault("PT7S")
    Duration reserve();

    /** {@code PRIME_ON_INIT}: when init runs the paths of a check once ({@link Priming}). */
    @WithDefault("auto")
    Priming.When prime();

    /** {@code PREFETCH_ON_INIT}: whether an on-demand init of initiate fetches the token ({@link TokenPrefetch}). */
    @WithDefault("true")
    boolean prefetchToken();
}
