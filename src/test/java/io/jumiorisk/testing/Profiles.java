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

    /**
     * initiate pacing its account requests, a little under the simulator's default limit (1/s, burst 5): a request
     * reaches Jumio some time after its slot begins (a token to fetch, a connection, a busy machine), and unequal
     * delays bunch arrivals together; the slack of 10% in rate and one request in burst absorbs that, as a deployment
     * would configure it under its tenant's limit.
     */
    public static class InitiatePaced implements WithServices {
        public static final double RATE_PER_SECOND = 0.9;
        public static final int BURST = 4;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "initiate");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ServicesResource.class,
                    Map.of("jumio.account-rate-per-second", Double.toString(RATE_PER_SECOND),
                            "jumio.account-burst", Integer.toString(BURST))));
        }
    }

    /** initiate with X-Ray tracing on, sending to the stand-in daemon ({@link XRayDaemon}). */
    public static class InitiateTraced implements WithServices {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The metric lines go to the log file: the native test's launcher hands the executable's standard output
            // to the console, where no test can read it.
            return Map.of("quarkus.lambda.handler", "initiate", "ops.tracing.mode", "Active",
                    "ops.tracing.daemon-address", "127.0.0.1:" + XRayDaemon.port(), "ops.metrics.sink", "LOG");
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
