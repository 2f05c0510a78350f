package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.keys.DataKey;
import io.jumiorisk.keys.KeyedHash;

class RequestHashesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String KEY = "data-key-0123456789abcdef0123456789";

    /** Hashes under this local data key (no Secrets Manager). */
    private static RequestHashes hashes(String dataKey) {
        return new RequestHashes(new KeyedHash(DataKey.of(dataKey)), JSON);
    }

    private final RequestHashes hashes = hashes(KEY);

    // ------------------------------------------------------------------------------------------------ hashes

    @Test
    void idempotencyKeyHashesAreStableKeyedAndDistinct() throws Exception {
        String hash = hashes.idempotencyKey("order-42");

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(hashes.idempotencyKey("order-42")).isEqualTo(hash);
        assertThat(hashes(KEY).idempotencyKey("order-42")).isEqualTo(hash);
        assertThat(hashes.idempotencyKey("order-43")).isNotEqualTo(hash);
        assertThat(hashes(KEY + "-new").idempotencyKey("order-42")).isNotEqualTo(hash);
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

        String hash = hashes.request(request);

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(hashes.request(reordered)).isEqualTo(hash);
        assertThat(hashes.request(changed)).isNotEqualTo(hash);
        assertThat(hashes.request(new CheckRequest("txn-1", "user-42", "10067", null,
                request.preparedData()))).as("another workflow").isNotEqualTo(hash);
        assertThat(hashes(KEY + "-new").request(request)).isNotEqualTo(hash);
    }

    private static CheckRequest request(String preparedData) throws Exception {
        return new CheckRequest("txn-1", "user-42", "10066", null, (ObjectNode) JSON.readTree(preparedData));
    }
}
