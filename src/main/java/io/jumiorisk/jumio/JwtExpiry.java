package io.jumiorisk.jumio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the {@code exp} claim of a Jumio access token. Jumio may hand out the same token again while
 * {@code expires_in} still states the full lifetime, so the claim is the only reliable expiry. The signature is not
 * verified: we are the token's bearer, not its audience, and Jumio checks it on every call anyway.
 *
 * <p>
 * Nothing read here is logged or put into an exception: the token is a credential.
 */
final class JwtExpiry {
    /** Jumio's tokens are a few hundred bytes; anything far larger is not one of them, and not worth decoding. */
    private static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Caps what a compressed payload may inflate to, so that a hostile token cannot exhaust the function's memory. */
    private static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** 9999-12-31T23:59:59Z: later values are nonsense, and would overflow once turned into milliseconds. */
    private static final BigDecimal MAX_EXP = BigDecimal.valueOf(253_402_300_799L);
    private static final ObjectMapper JSON = new ObjectMapper();

    private JwtExpiry() {
    }

    /**
     * @return the token's {@code exp} claim; empty when the token is not a readable JWT (not three parts, not
     * base64url, not JSON, a compression we do not know) or carries no numeric {@code exp}
     */
    static Optional<Instant> of(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            // Five parts would be an encrypted token (JWE): its claims are not ours to read.
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (header == null || !header.isObject()) {
                return Optional.empty();
            }
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode zip = header.get("zip");
            if (zip != null && !"GZIP".equalsIgnoreCase(zip.asText())) {
                return Optional.empty();
            }
            // Recorded answers carry "zip":"GZIP" in the header; a gzip payload without it is read too.
            if (zip != null || gzipped(payload)) {
                payload = gunzip(payload);
            }
            JsonNode claims = JSON.readTree(payload);
            JsonNode exp = claims == null ? null : claims.get("exp");
            if (exp == null || !exp.isNumber()) {
                return Optional.empty();
            }
            // NumericDate may carry a fraction of a second; whole seconds are precise enough.
            BigDecimal seconds = exp.decimalValue();
            if (seconds.signum() < 0 || seconds.compareTo(MAX_EXP) > 0) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochSecond(seconds.longValue()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean gzipped(byte[] payload) {
        return payload.length > 2 && (payload[0] & 0xff) == 0x1f && (payload[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] out = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (out.length > MAX_PAYLOAD_BYTES) {
                throw new IOException("payload too large");
            }
            return out;
        }
    }
}
