package io.jumiorisk.keys;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.jumiorisk.aws.SecretReader;
import io.quarkus.runtime.StartupEvent;

/**
 * The key of what the table keeps keyed or sealed: the hashes that stand for a request or a reference, and the tokens
 * sealed at rest. It is a secret of its own, readable by every function, so that no function needs a Jumio client's
 * credentials only to read the table (the erase function has none of the main client's). It is meant to stay: a new
 * key makes the hashes of requests in flight differ (a retry across the change would start a second check) and what
 * was sealed unreadable.
 */
@ApplicationScoped
public class DataKey {
    /** 32 characters of a generated secret hold well over 128 bits. */
    static final int MIN_LENGTH = 32;

    private final Optional<String> secretId;
    private final Optional<String> local;
    private final SecretReader secrets;

    @Inject
    public DataKey(DataKeyConfig config, SecretReader secrets) {
        this.secretId = config.keySecretId().filter(s -> !s.isBlank());
        this.local = config.key().filter(s -> !s.isBlank());
        this.secrets = secrets;
    }

    private DataKey(String key) {
        this.secretId = Optional.empty();
        this.local = Optional.of(key);
        this.secrets = null;
    }

    /** A key given as it is, as a local run configures it. */
    public static DataKey of(String key) {
        return new DataKey(key);
    }

    /** Reads the secret during init, where Lambda gives the function time of its own; a bad key fails the start. */
    void warm(@Observes StartupEvent event) {
        if (secretId.isPresent() || local.isPresent()) {
            bytes();
        }
    }

    byte[] bytes() {
        String key = secretId.map(id -> secrets.field(id, "dataKey")).or(() -> local).orElseThrow(
                () -> new IllegalStateException("No data key: set DATA_KEY_SECRET_ID (or DATA_KEY for a local run)"));
        if (key.length() < MIN_LENGTH) {
            throw new IllegalStateException("The data key is too short: it needs at least " + MIN_LENGTH
                    + " characters");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
