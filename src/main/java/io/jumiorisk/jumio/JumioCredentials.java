package io.jumiorisk.jumio;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import io.jumiorisk.aws.SecretReader;

/**
 * One of Jumio's OAuth2 clients: its id and secret from Secrets Manager when a secret id is set (deployed), otherwise
 * from plain settings (local runs). Made by {@link JumioClients}; never logged.
 */
public class JumioCredentials {
    private final String name;
    private final Optional<String> secretId;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final SecretReader secrets;

    /**
     * @param name the variables that configure this client, for error messages
     */
    JumioCredentials(String name, Optional<String> secretId, Optional<String> clientId, Optional<String> clientSecret,
            SecretReader secrets) {
        this.name = name;
        this.secretId = secretId.filter(s -> !s.isBlank());
        this.clientId = clientId.filter(s -> !s.isBlank());
        this.clientSecret = clientSecret.filter(s -> !s.isBlank());
        this.secrets = secrets;
    }

    /** A client given by its id and secret, as a local run configures it. */
    public static JumioCredentials of(String clientId, String clientSecret) {
        return new JumioCredentials("the client id and secret", Optional.empty(), Optional.of(clientId),
                Optional.of(clientSecret), null);
    }

    /** Whether this client is configured at all. */
    boolean configured() {
        return secretId.isPresent() || clientId.isPresent();
    }

    /** Reads the secret now: during init, where Lambda gives the function time of its own. */
    void warm() {
        secretId.ifPresent(id -> secrets.field(id, "clientId"));
    }

    public String basicAuthorization() {
        String id;
        String secret;
        if (secretId.isPresent()) {
            id = secrets.field(secretId.get(), "clientId");
            secret = secrets.field(secretId.get(), "clientSecret");
        } else {
            id = clientId.orElseThrow(() -> new IllegalStateException("No Jumio credentials: set " + name));
            secret = clientSecret.orElseThrow(() -> new IllegalStateException("No Jumio client secret: set " + name));
        }
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Jumio refused the credentials: re-read them in case the secret was rotated since this container started. */
    public void refresh() {
        secretId.ifPresent(secrets::forget);
    }
}
