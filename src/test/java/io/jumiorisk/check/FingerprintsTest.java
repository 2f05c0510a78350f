package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.jumio.JumioCredentials;
import io.jumiorisk.testing.StubJumioConfig;

class FingerprintsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.workflow-token.signature";

    /** Fingerprints keyed by these local Jumio credentials (no Secrets Manager). */
    private static Fingerprints fingerprints(String clientId, String clientSecret) {
        return new Fingerprints(
                new JumioCredentials(StubJumioConfig.defaults().withCredentials(clientId, clientSecret), null), JSON);
    }

    private final Fingerprints fingerprints = fingerprints("client-id", "client-secret");

    // ------------------------------------------------------------------------------------------------ sealing

    @Test
    void sealedTokensUnsealToWhatWasSealed() {
        for (String secret : List.of(TOKEN, "", "ünïcødé ✓ 😀", "x".repeat(10_000))) {
            assertThat(fingerprints.unseal(fingerprints.seal(secret))).isEqualTo(secret);
        }
        // Another instance with the same credentials (another container) unseals it too.
        assertThat(fingerprints("client-id", "client-secret").unseal(fingerprints.seal(TOKEN))).isEqualTo(TOKEN);
    }

    @Test
    void theSealedFormHidesTheTokenAndCarriesAFreshIvEachTime() {
        String first = fingerprints.seal(TOKEN);
        String second = fingerprints.seal(TOKEN);

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
        byte[] sealed = Base64.getDecoder().decode(fingerprints.seal(TOKEN));
        for (int index : List.of(0, 11, 12, sealed.length / 2, sealed.length - 1)) {
            byte[] tampered = sealed.clone();
            tampered[index] ^= 0x01;
            String forged = Base64.getEncoder().encodeToString(tampered);
            assertThatThrownBy(() -> fingerprints.unseal(forged)).as("bit flipped in byte " + index)
                    .isInstanceOf(IllegalStateException.class);
        }
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(sealed, sealed.length - 1));
        assertThatThrownBy(() -> fingerprints.unseal(truncated)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSealMadeWithOtherCredentialsIsRefused() {
        String foreign = fingerprints("client-id", "rotated-secret").seal(TOKEN);
        String otherClient = fingerprints("other-client", "client-secret").seal(TOKEN);

        assertThatThrownBy(() -> fingerprints.unseal(foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sealing key changed");
        assertThatThrownBy(() -> fingerprints.unseal(otherClient)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void somethingThatWasNeverASealIsRefused() {
        for (String garbage : List.of("", "not base64!", "AAAA", Base64.getEncoder().encodeToString(new byte[11]),
                Base64.getEncoder().encodeToString(new byte[28]), Base64.getEncoder().encodeToString(new byte[40]),
                TOKEN)) {
            assertThatThrownBy(() -> fingerprints.unseal(garbage)).as(garbage)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Disabled("bug: Fingerprints.unseal lets java.security.ProviderException (ShortBufferException) escape for a value"
            + " of 12 to 27 bytes, an IV with less than a whole GCM tag behind it, instead of IllegalStateException;"
            + " CheckStarter.unseal catches only IllegalStateException, so resuming a check whose stored seal was cut"
            + " short fails with an unexpected error instead of 'workflow token unavailable'")
    @Test
    void aSealCutShorterThanItsTagIsRefused() {
        byte[] sealed = Base64.getDecoder().decode(fingerprints.seal(TOKEN));
        for (int length = 12; length < 12 + 16; length++) {
            String cut = Base64.getEncoder().encodeToString(Arrays.copyOf(sealed, length));
            assertThatThrownBy(() -> fingerprints.unseal(cut)).as(length + " bytes")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    // ------------------------------------------------------------------------------------------------ hashes

    @Test
    void idempotencyKeyHashesAreStableKeyedAndDistinct() throws Exception {
        String hash = fingerprints.idempotencyKey("order-42");

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(fingerprints.idempotencyKey("order-42")).isEqualTo(hash);
        assertThat(fingerprints("client-id", "client-secret").idempotencyKey("order-42")).isEqualTo(hash);
        assertThat(fingerprints.idempotencyKey("order-43")).isNotEqualTo(hash);
        assertThat(fingerprints("client-id", "rotated-secret").idempotencyKey("order-42")).isNotEqualTo(hash);
        // Keyed: not the plain SHA-256 that anyone could compute by trying keys.
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("order-42".getBytes(StandardCharsets.UTF_8)));
        assertThat(hash).isNotEqualTo(plain);
    }

    @Test
    void requestHashesIgnoreFieldOrderButNotValuesAndDependOnTheKey() throws Exception {
        CheckRequest request = request("""
                {"email":"jane@example.com","address":{"city":"Springfield","country":"USA"},"firstName":"Jane"}""");
        CheckRequest reordered = request("""
                {"firstName":"Jane","address":{"country":"USA","city":"Springfield"},"email":"jane@example.com"}""");
        CheckRequest changed = request("""
                {"email":"jane@example.com","address":{"city":"Shelbyville","country":"USA"},"firstName":"Jane"}""");

        String hash = fingerprints.request(request);

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(fingerprints.request(reordered)).isEqualTo(hash);
        assertThat(fingerprints.request(changed)).isNotEqualTo(hash);
        assertThat(fingerprints.request(new CheckRequest("txn-1", "user-42", "10067", null,
                request.preparedData()))).as("another workflow").isNotEqualTo(hash);
        assertThat(fingerprints("client-id", "rotated-secret").request(request)).isNotEqualTo(hash);
    }

    private static CheckRequest request(String preparedData) throws Exception {
        return new CheckRequest("txn-1", "user-42", "10066", null, (ObjectNode) JSON.readTree(preparedData));
    }
}
