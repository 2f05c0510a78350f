package io.jumiorisk.testing;

import java.util.HashMap;
import java.util.Map;

import io.jumiorisk.sim.JumioSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the application at the test services. AWS settings go in through the SDK's own conventions (system
 * properties, the in-JVM twin of {@code AWS_ENDPOINT_URL} and friends), so the tests prove that those are honoured.
 */
public class ServicesResource implements QuarkusTestResourceLifecycleManager {
    /** Settings that a profile gives this resource, which replace the defaults below. */
    private Map<String, String> overrides = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        overrides = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        MotoServer moto = TestServices.moto();
        JumioSimulator sim = TestServices.simulator();
        Map<String, String> config = new HashMap<>();
        config.put("aws.endpointUrl", moto.endpoint());
        config.put("aws.endpointUrlSfn", TestServices.sfn().endpoint());
        config.put("aws.endpointUrlDynamoDb", TestServices.dynamodb().endpoint());
        config.put("aws.region", TestServices.REGION);
        config.put("aws.accessKeyId", "test");
        config.put("aws.secretAccessKey", "test");
        config.forEach(System::setProperty);
        config.put("checks.table", TestServices.TABLE);
        config.put("jumio.client-id", sim.clientId());
        config.put("jumio.client-secret", sim.clientSecret());
        // The erase function's own client, the only one with "retrieve & delete" where a test takes it away from the
        // main client.
        config.put("jumio.erase-client-id", sim.eraserClientId());
        config.put("jumio.erase-client-secret", sim.eraserClientSecret());
        config.put("jumio.auth-url", sim.authUrl());
        config.put("jumio.account-url", sim.accountUrl());
        config.put("jumio.retrieval-url", sim.retrievalUrl());
        // The simulator serves upload and finalize; Jumio's answers name its URLs, which the product uses only there.
        config.put("jumio.api-url", sim.apiUrl());
        // Plain-http loopback: the simulator and the callback gateway.
        config.put("jumio.allow-insecure-urls", "true");
        config.put("jumio.user-agent", "AcmeBank Onboarding/2.1 (jumio-risk-lambda tests)");
        config.put("callback.token", TestServices.CALLBACK_TOKEN);
        config.put("data.key", TestServices.DATA_KEY);
        config.put("jumio.callback-url", TestServices.callbackUrl());
        config.put("callback.allowed-sources", "127.0.0.1/32,34.202.241.227");
        // Account requests unpaced: the suite starts hundreds of checks, mostly against a simulator without limits,
        // and pacing at Jumio's 1/s would make it last hours. The pacing tests turn it on (Profiles.InitiatePaced).
        config.put("jumio.account-rate-per-second", "0");
        config.putAll(overrides);
        return config;
    }

    @Override
    public void stop() {
        // Shared by every profile in this JVM; stopped by a shutdown hook.
    }
}
