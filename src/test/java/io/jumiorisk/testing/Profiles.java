package io.jumiorisk.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** One profile per handler: a deployed function runs exactly one, chosen by QUARKUS_LAMBDA_HANDLER. */
public final class Profiles {
    private Profiles() {
    }

    /** Every profile runs against the same services. */
    interface WithServices extends QuarkusTestProfile {
        @Override
        default List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ServicesResource.class));
        }
    }

    public static class Initiate implements WithServices {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "initiate");
        }
    }

    public static class Callback implements WithServices {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Reconciliation on a schedule of seconds, so that tests can race it against callbacks.
            return Map.of("quarkus.lambda.handler", "callback", "checks.reconcile-after-seconds", "1",
                    "checks.poll-schedule", "1,2,3");
        }
    }

    /** The callback function of a deployment that repeats an ambiguous account request at once. */
    public static class CallbackRepeatingAmbiguousStarts extends Callback {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("jumio.ambiguous-start", "REPEAT");
            return overrides;
        }
    }

    /** initiate with X-Ray tracing on, sending to the stand-in daemon ({@link XRayDaemon}). */
    public static class InitiateTraced implements WithServices {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "initiate", "ops.tracing.mode", "Active",
                    "ops.tracing.daemon-address", "127.0.0.1:" + XRayDaemon.port());
        }
    }

    public static class Erase implements WithServices {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "erase");
        }
    }

    public static class Retrieve implements WithServices {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Jumio's real schedule starts at 40 s; the same logic runs here on a schedule of seconds.
            return Map.of("quarkus.lambda.handler", "retrieve", "checks.reconcile-after-seconds", "1",
                    "checks.poll-schedule", "1,4,4");
        }
    }

    /** For the checks of what the whole suite left behind: a group of their own, run last. */
    public static class EndOfRun extends Retrieve {
    }
}
