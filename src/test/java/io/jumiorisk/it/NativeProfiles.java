package io.jumiorisk.it;

import java.util.List;
import java.util.Map;

import io.jumiorisk.testing.ServicesResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Profiles that only the native suite needs; the per-handler ones are {@code io.jumiorisk.testing.Profiles}. */
public final class NativeProfiles {
    private NativeProfiles() {
    }

    /** initiate as deployed: Jumio credentials and the callback token come from Secrets Manager. */
    public static class InitiateWithSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "initiate");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ServicesResource.class), new TestResourceEntry(SecretsResource.class));
        }
    }

    /** callback as deployed: the callback secret (and the rest) from Secrets Manager, so that it can rotate. */
    public static class CallbackWithSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "callback");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ServicesResource.class), new TestResourceEntry(SecretsResource.class));
        }
    }
}
