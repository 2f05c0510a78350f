package io.jumiorisk.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keyed hashes (HMAC-SHA256) of values that the table must be able to compare but must not hold: a plain hash of a
 * phone number or an email can be reversed by trying them all. The key is the {@link DataKey}, which never reaches the
 * table; each use names its purpose, so that no two uses share a hash.
 */
@ApplicationScoped
public class KeyedHash {
    private final DataKey key;

    public KeyedHash(DataKey key) {
        this.key = key;
    }

    /** @return the hash, in lower-case hex */
    public String of(String purpose, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
