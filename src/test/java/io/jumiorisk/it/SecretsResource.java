package io.jumiorisk.it;

import java.net.URI;
import java.util.Map;

import io.jumiorisk.testing.TestServices;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * Puts the deployment's secrets in moto's Secrets Manager, as the SAM template's secrets hold them, and points the
 * function at them. Used with {@link ServicesResource}-based profiles: the binary then reads its Jumio credentials and
 * callback secret and data key through the plain SDK client in {@code AwsClients}, as a deployed function does.
 */
public class SecretsResource implements QuarkusTestResourceLifecycleManager {
    static final String JUMIO_SECRET = "native-it/jumio-credentials";
    static final String CALLBACK_SECRET = "native-it/callback-token";
    static final String DATA_KEY_SECRET = "native-it/data-key";
    /** Differs from {@link TestServices#DATA_KEY}: the table's hashes tell which one the binary used. */
    static final String DATA_KEY_IN_SECRET = "dk-from-secrets-manager-" + java.util.UUID.randomUUID();
    /** Differs from {@link TestServices#CALLBACK_TOKEN}, so a test can tell which source the token came from. */
    static final String CALLBACK_TOKEN_IN_SECRET = "cb-from-secrets-manager-"
            + java.util.UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> start() {
        var sim = TestServices.simulator();
        try (SecretsManagerClient secrets = client()) {
            put(secrets, JUMIO_SECRET,
                    "{\"clientId\":\"" + sim.clientId() + "\",\"clientSecret\":\"" + sim.clientSecret() + "\"}");
            put(secrets, CALLBACK_SECRET, "{\"callbackToken\":\"" + CALLBACK_TOKEN_IN_SECRET + "\"}");
            put(secrets, DATA_KEY_SECRET, "{\"dataKey\":\"" + DATA_KEY_IN_SECRET + "\"}");
        }
        return Map.of("jumio.credentials-secret-id", JUMIO_SECRET, "callback.token-secret-id", CALLBACK_SECRET,
                "data.key-secret-id", DATA_KEY_SECRET);
    }

    /** A new value for the callback secret, as an operator puts it to rotate the key. */
    static void putCallbackSecret(String json) {
        try (SecretsManagerClient secrets = client()) {
            put(secrets, CALLBACK_SECRET, json);
        }
    }

    private static SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .endpointOverride(URI.create(TestServices.moto().endpoint()))
                .region(Region.of(TestServices.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static void put(SecretsManagerClient secrets, String name, String value) {
        try {
            secrets.createSecret(c -> c.name(name).secretString(value));
        } catch (ResourceExistsException e) {
            secrets.putSecretValue(p -> p.secretId(name).secretString(value));
        }
    }

    @Override
    public void stop() {
    }
}
