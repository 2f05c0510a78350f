package io.jumiorisk.jumio;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jumiorisk.aws.SecretReader;
import io.quarkus.runtime.StartupEvent;

/**
 * Jumio's OAuth2 client credentials: from Secrets Manager when {@code JUMIO_CREDENTIALS_SECRET_ID} is set (deployed),
 * otherwise from {@code JUMIO_CLIENT_ID} / {@code JUMIO_CLIENT_SECRET} (local runs).
 */
@ApplicationScoped
public class JumioCredentials {
    private final JumioConfig config;
    private final SecretReader secrets;

    public JumioCredentials(JumioConfig config, SecretReader secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    /** Read the secret during init, where Lambda gives the function time of its own. */
    void warm(@Observes StartupEvent event) {
        config.credentialsSecretId().ifPresent(id -> secrets.field(id, "clientId"));
    }

    public String basicAuthorization() {
        String id;
        String secret;
        if (config.credentialsSecretId().isPresent()) {
            id = secrets.field(config.credentialsSecretId().get(), "clientId");
            secret = secrets.field(config.credentialsSecretId().get(), "clientSecret");
        } else {
            id = config.clientId().orElseThrow(() -> new IllegalStateException(
                    "No Jumio credentials: set JUMIO_CREDENTIALS_SECRET_ID,"
                            + " or JUMIO_CLIENT_ID and JUMIO_CLIENT_SECRET"));
            secret = config.clientSecret()
                    .orElseThrow(() -> new IllegalStateException("JUMIO_CLIENT_SECRET is not set"));
        }
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Jumio refused the credentials: re-read them in case the secret was rotated since this container started. */
    public void refresh() {
        config.credentialsSecretId().ifPresent(secrets::forget);
    }

    /** Key material for sealing workflow tokens at rest; derived, so rotating the Jumio secret rotates it too. */
    public byte[] sealingSecret() {
        return basicAuthorization().getBytes(StandardCharsets.UTF_8);
    }
}
