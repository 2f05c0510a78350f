package io.jumiorisk.callback;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jumiorisk.aws.SecretReader;
import io.jumiorisk.check.CallbackAddress;
import io.jumiorisk.jumio.ConfigRules;
import io.jumiorisk.jumio.JumioConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The deployment's callback secret. Jumio does not sign callbacks, so the callback URL we hand to Jumio carries this
 * token and every callback must bring it back. Read once per container; never logged.
 */
@ApplicationScoped
public class CallbackToken implements CallbackAddress {
    /**
     * {@code ?check=<uuid>&sig=<64 hex>}: the signed form that is to replace the token. Reserved already, so that a
     * {@code JUMIO_CALLBACK_URL} that fits Jumio's limit today still fits once it lands.
     */
    static final int SIGNED_FORM_LENGTH = "?check=".length() + 36 + "&sig=".length() + 64;

    private final CallbackConfig config;
    private final SecretReader secrets;
    private final JumioConfig jumio;

    public CallbackToken(CallbackConfig config, SecretReader secrets, JumioConfig jumio) {
        this.config = config;
        this.secrets = secrets;
        this.jumio = jumio;
    }

    void warm(@Observes StartupEvent event) {
        config.tokenSecretId().ifPresent(id -> secrets.field(id, "callbackToken"));
        // Jumio would refuse a bad callbackUrl check by check, as they start; a cold start that fails says it once.
        jumio.callbackUrl().filter(u -> !u.isBlank())
                .ifPresent(u -> ConfigRules.callbackUrl(u, jumio.allowInsecureUrls(), maxAppendedLength()));
    }

    public boolean configured() {
        return config.tokenSecretId().isPresent() || config.token().filter(t -> !t.isBlank()).isPresent();
    }

    /** {@code JUMIO_CALLBACK_URL} with the token added as the {@code token} query parameter; null when unset. */
    @Override
    public String callbackUrl() {
        return jumio.callbackUrl().filter(u -> !u.isBlank()).map(u -> u + (u.contains("?") ? "&" : "?") + "token="
                + URLEncoder.encode(value(), StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * The longest query part that {@link #callbackUrl()} adds to {@code JUMIO_CALLBACK_URL}: today's token parameter,
     * or the signed form when that is longer. Jumio's 255-character limit counts it.
     */
    public int maxAppendedLength() {
        int today = configured() ? "?token=".length() + URLEncoder.encode(value(), StandardCharsets.UTF_8).length() : 0;
        return Math.max(today, SIGNED_FORM_LENGTH);
    }

    /**
     * Compares digests in constant time, so the answer's timing says nothing about how much of a guess was right, nor
     * about the token's length.
     */
    public boolean matches(String presented) {
        if (presented == null || !configured()) {
            return false;
        }
        return MessageDigest.isEqual(sha256(value()), sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String value() {
        return config.tokenSecretId().map(id -> secrets.field(id, "callbackToken"))
                .orElseGet(() -> config.token().filter(t -> !t.isBlank())
                        .orElseThrow(() -> new IllegalStateException(
                                "No callback token: set CALLBACK_TOKEN_SECRET_ID or CALLBACK_TOKEN")));
    }
}
