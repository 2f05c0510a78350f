package io.jumiorisk.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.jumiorisk.aws.SecretReader;
import io.jumiorisk.check.CallbackAddress;
import io.jumiorisk.jumio.ConfigRules;
import io.jumiorisk.jumio.JumioConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Jumio does not sign callbacks, so each check's callback URL carries its own proof: the check id and a keyed hash of
 * it, keyed by the callback secret. A callback is taken only for the check its URL names, so a URL that leaks can
 * touch that one check, and nothing else. The secret can rotate without a redeploy: the current key and the previous
 * one verify; a URL that verifies with neither makes the secret be read again (at most once a minute); and a container
 * reads it again before it signs once its copy is ten minutes old. Keys are never logged.
 */
@ApplicationScoped
public class CallbackKeys implements CallbackAddress {
    private static final Logger LOG = Logger.getLogger(CallbackKeys.class);
    /** {@code ?check=<uuid>&sig=<64 hex>}: what {@link #callbackUrl(String)} appends. */
    static final int APPENDED_LENGTH = "?check=".length() + 36 + "&sig=".length() + 64;
    private static final Duration REREAD_AT_MOST_EVERY = Duration.ofMinutes(1);
    /**
     * How long a container signs with the key it read: a warm container may live for hours, and after a rotation
     * the previous key should be needed only for checks started up to this long after it, plus their callbacks.
     */
    static final Duration SIGN_WITH_A_KEY_AT_MOST = Duration.ofMinutes(10);
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");

    private final CallbackConfig config;
    private final SecretReader secrets;
    private final JumioConfig jumio;
    private volatile long lastReread;
    private final LongSupplier clock;
    private volatile long signingKeyReadAt;

    @Inject
    public CallbackKeys(CallbackConfig config, SecretReader secrets, JumioConfig jumio) {
        this(config, secrets, jumio, System::currentTimeMillis);
    }

    CallbackKeys(CallbackConfig config, SecretReader secrets, JumioConfig jumio, LongSupplier clock) {
        this.config = config;
        this.secrets = secrets;
        this.jumio = jumio;
        this.clock = clock;
        this.signingKeyReadAt = clock.getAsLong();
    }

    void warm(@Observes StartupEvent event) {
        config.tokenSecretId().ifPresent(id -> secrets.field(id, "callbackToken"));
        // Jumio would refuse a bad callbackUrl check by check, as they start; a cold start that fails says it once.
        jumio.callbackUrl().filter(u -> !u.isBlank())
                .ifPresent(u -> ConfigRules.callbackUrl(u, jumio.allowInsecureUrls(), maxAppendedLength()));
    }

    /** {@code JUMIO_CALLBACK_URL} with the check's id and its keyed hash; null when no callback URL is set. */
    @Override
    public String callbackUrl(String checkId) {
        refreshSigningKeyWhenOld();
        return jumio.callbackUrl().filter(u -> !u.isBlank())
                .map(u -> u + (u.contains("?") ? "&" : "?") + "check=" + checkId + "&sig="
                        + sign(keys().get(0), checkId))
                .orElse(null);
    }

    private void refreshSigningKeyWhenOld() {
        long now = clock.getAsLong();
        if (config.tokenSecretId().isPresent() && now - signingKeyReadAt > SIGN_WITH_A_KEY_AT_MOST.toMillis()) {
            signingKeyReadAt = now;
            secrets.forget(config.tokenSecretId().get());
        }
    }

    /** The longest query part that {@link #callbackUrl(String)} adds: Jumio's 255-character limit counts it. */
    public int maxAppendedLength() {
        return APPENDED_LENGTH;
    }

    /**
     * Whether {@code signature} is the keyed hash of {@code checkId} under the current or the previous key. Compared in
     * constant time, so the answer's timing says nothing about how much of a guess was right.
     */
    public boolean verifies(String checkId, String signature) {
        if (checkId == null || signature == null || !SIGNATURE.matcher(signature).matches()) {
            return false;
        }
        if (matchesAny(checkId, signature)) {
            return true;
        }
        if (config.tokenSecretId().isPresent() && rereadAllowed()) {
            // The secret may have rotated since this container read it.
            secrets.forget(config.tokenSecretId().get());
            LOG.info("callback key did not verify: the callback secret is read again");
            return matchesAny(checkId, signature);
        }
        return false;
    }

    private boolean matchesAny(String checkId, String signature) {
        byte[] presented = signature.getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String key : keys()) {
            // Every key is tried, so the time taken does not tell which one matched.
            match |= MessageDigest.isEqual(sign(key, checkId).getBytes(StandardCharsets.US_ASCII), presented);
        }
        return match;
    }

    private synchronized boolean rereadAllowed() {
        long now = clock.getAsLong();
        if (now - lastReread < REREAD_AT_MOST_EVERY.toMillis()) {
            return false;
        }
        lastReread = now;
        return true;
    }

    /** The current key first, then the previous one while a rotation is under way. */
    private List<String> keys() {
        List<String> keys = new ArrayList<>(2);
        if (config.tokenSecretId().isPresent()) {
            String id = config.tokenSecretId().get();
            keys.add(secrets.field(id, "callbackToken"));
            secrets.optionalField(id, "previousCallbackToken").ifPresent(keys::add);
        } else {
            keys.add(config.token().filter(t -> !t.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "No callback secret: set CALLBACK_TOKEN_SECRET_ID or CALLBACK_TOKEN")));
            config.previousToken().filter(t -> !t.isBlank()).ifPresent(keys::add);
        }
        return keys;
    }

    /** The keyed hash of {@code checkId} under {@code key} that a callback URL carries. */
    public static String sign(String key, String checkId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update("callback/v1".getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(checkId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
