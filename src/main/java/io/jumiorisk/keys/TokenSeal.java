package io.jumiorisk.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Seals bearer tokens that the table must hold for a while (the workflow token, needed to resume a start that died
 * half-way; a Step Functions task token, until the check completes), with AES-GCM under a key derived from the
 * {@link DataKey}. A new data key makes what was sealed before unreadable: a start interrupted across the change cannot
 * resume (its workflow expires at Jumio), and a waiting task cannot be completed (its execution times out).
 */
@ApplicationScoped
public class TokenSeal {
    // Per instance, created at run time: a native image must not freeze a seeded generator into its heap.
    private final SecureRandom random = new SecureRandom();
    private final KeyedHash keyedHash;

    public TokenSeal(KeyedHash keyedHash) {
        this.keyedHash = keyedHash;
    }

    public String seal(String token) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(12 + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a token", e);
        }
    }

    /** @throws IllegalStateException when the value was not sealed with the current key (or was changed) */
    public String unseal(String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException | ProviderException e) {
            // ProviderException: a value too short to hold a whole tag, which the cipher reports as its own fault.
            throw new IllegalStateException("Cannot unseal a token: the sealing key changed");
        }
    }

    private SecretKeySpec key() {
        return new SecretKeySpec(HexFormat.of().parseHex(keyedHash.of("workflow-token-seal/v1", new byte[0])), "AES");
    }
}
