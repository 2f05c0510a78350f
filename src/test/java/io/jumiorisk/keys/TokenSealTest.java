package io.jumiorisk.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenSealTest {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.workflow-token.signature";

    static final String KEY = "data-key-0123456789abcdef0123456789";

    /** A seal under this local data key (no Secrets Manager). */
    static TokenSeal sealFor(String dataKey) {
        return new TokenSeal(new KeyedHash(DataKey.of(dataKey)));
    }

    private final TokenSeal seal = sealFor(KEY);

    // ------------------------------------------------------------------------------------------------ sealing

    @Test
    void sealedTokensUnsealToWhatWasSealed() {
        for (String secret : List.of(TOKEN, "", "ünïcødé ✓ 😀", "x".repeat(10_000))) {
            assertThat(seal.unseal(seal.seal(secret))).isEqualTo(secret);
        }
        // Another instance with the same credentials (another container) unseals it too.
        assertThat(sealFor(KEY).unseal(seal.seal(TOKEN))).isEqualTo(TOKEN);
    }

    @Test
    void theSealedFormHidesTheTokenAndCarriesAFreshIvEachTime() {
        String first = seal.seal(TOKEN);
        String second = seal.seal(TOKEN);

        assertThat(first).isNotEqualTo(second);
        byte[] a = Base64.getDecoder().decode(first);
        byte[] b = Base64.getDecoder().decode(second);
        // 12-byte IV, the ciphertext (as long as the token), a 16-byte tag.
        assertThat(a).hasSize(12 + TOKEN.length() + 16);
        assertThat(Arrays.copyOf(a, 12)).isNotEqualTo(Arrays.copyOf(b, 12));
        assertThat(new String(a, StandardCharsets.ISO_8859_1)).doesNotContain("workflow-token");
        assertThat(first)
                .doesNotContain(Base64.getEncoder().encodeToString("workflow-token".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTamperedSealIsRefused() {
        byte[] sealed = Base64.getDecoder().decode(seal.seal(TOKEN));
        for (int index : List.of(0, 11, 12, sealed.length / 2, sealed.length - 1)) {
            byte[] tampered = sealed.clone();
            tampered[index] ^= 0x01;
            String forged = Base64.getEncoder().encodeToString(tampered);
            assertThatThrownBy(() -> seal.unseal(forged)).as("bit flipped in byte " + index)
                    .isInstanceOf(IllegalStateException.class);
        }
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(sealed, sealed.length - 1));
        assertThatThrownBy(() -> seal.unseal(truncated)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSealMadeUnderAnotherDataKeyIsRefused() {
        String foreign = sealFor(KEY.replace('0', '1')).seal(TOKEN);
        String otherClient = sealFor(KEY + "x").seal(TOKEN);

        assertThatThrownBy(() -> seal.unseal(foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sealing key changed");
        assertThatThrownBy(() -> seal.unseal(otherClient)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void somethingThatWasNeverASealIsRefused() {
        for (String garbage : List.of("", "not base64!", "AAAA", Base64.getEncoder().encodeToString(new byte[11]),
                Base64.getEncoder().encodeToString(new byte[28]), Base64.getEncoder().encodeToString(new byte[40]),
                TOKEN)) {
            assertThatThrownBy(() -> seal.unseal(garbage)).as(garbage)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /** An IV with less than a whole GCM tag behind it: the cipher's own exception must not escape. */
    @Test
    void aSealCutShorterThanItsTagIsRefused() {
        byte[] sealed = Base64.getDecoder().decode(seal.seal(TOKEN));
        for (int length = 12; length < 12 + 16; length++) {
            String cut = Base64.getEncoder().encodeToString(Arrays.copyOf(sealed, length));
            assertThatThrownBy(() -> seal.unseal(cut)).as(length + " bytes")
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
