package io.jumiorisk.ops;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Metrics and tracing settings; application.properties maps the environment variables that template.yaml sets. */
@ConfigMapping(prefix = "ops")
public interface OpsConfig {
    MetricsSettings metrics();

    TracingSettings tracing();

    interface MetricsSettings {
        /** False writes no metric lines at all (METRICS_ENABLED). */
        @WithDefault("true")
        boolean enabled();

        /** The CloudWatch namespace (METRICS_NAMESPACE). */
        @WithDefault("JumioRisk")
        String namespace();

        /** The stack the functions belong to (METRICS_SERVICE): a dimension, so that stacks in one account differ. */
        @WithDefault("jumio-risk")
        String service();

        /**
         * Where the lines go: {@code STDOUT} on Lambda, where CloudWatch Logs extracts them; {@code LOG} writes them
         * through the logger category {@value Metrics#EMF_CATEGORY} instead, so that the tests find them in their log.
         */
        @WithDefault("STDOUT")
        Sink sink();
    }

    enum Sink {
        STDOUT,
        LOG
    }

    interface TracingSettings {
        /**
         * The function's X-Ray tracing mode as template.yaml sets it (TRACING): {@code Active} records subsegments for
         * sampled invocations; anything else ({@code PassThrough}, the default) records none.
         */
        @WithDefault("PassThrough")
        String mode();

        /** The X-Ray daemon's UDP address; empty: AWS_XRAY_DAEMON_ADDRESS, which Lambda sets. */
        Optional<String> daemonAddress();
    }
}
