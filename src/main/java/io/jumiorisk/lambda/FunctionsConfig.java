package io.jumiorisk.lambda;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "functions")
public interface FunctionsConfig {
    /** Invocation budget when the runtime gives no deadline (local tools and the test event server). */
    @WithDefault("PT25S")
    Duration defaultBudget();
}
