package io.jumiorisk.jumio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access token's {@code exp} claim, in the two forms Jumio hands out (plain, and GZIP-compressed payloads), and
 * the refresh time {@link AccessTokens} takes from it.
 */
class JwtExpiryTest {
    private static final long EXP = 1_781_234_567L;
    private static final String SIGNATURE = "c2lnbmF0dXJlLW5vdC1jaGVja2Vk";

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(String json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String plain(String claims) {
        return b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + b64(claims) + "." + SIGNATURE;
    }

    private static String gzipped(String claims) throws IOException {
        return b64("{\"alg\":\"HS512\",\"zip\":\"GZIP\"}") + "." + b64(gzip(claims)) + "." + SIGNATURE;
    }

    @Test
    void plainPayload() {
        String token = plain("{\"iat\":" + (EXP - 3600) + ",\"exp\":" + EXP + ",\"sub\":\"client\"}");
        assertThat(JwtExpiry.of(token)).contains(Instant.ofEpochSecond(EXP));
    }

    @Test
    void gzipCompressedPayload() throws IOException {
        String token = gzipped("{\"iat\":" + (EXP - 3600) + ",\"exp\":" + EXP + "}");
        assertThat(JwtExpiry.of(token)).contains(Instant.ofEpochSecond(EXP));
    }

    @Test
    void gzipPayloadWhoseHeaderDoesNotSaySo() throws IOException {
        String token = b64("{\"alg\":\"HS512\"}") + "." + b64(gzip("{\"exp\":" + EXP + "}")) + "." + SIGNATURE;
        assertThat(JwtExpiry.of(token)).contains(Instant.ofEpochSecond(EXP));
    }

    @Test
    void paddedBase64AndAFractionalExp() {
        String token = Base64.getUrlEncoder().encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().encodeToString(("{\"exp\":" + EXP + ".75}")
                        .getBytes(StandardCharsets.UTF_8))
                + "." + SIGNATURE;
        assertThat(JwtExpiry.of(token)).contains(Instant.ofEpochSecond(EXP));
    }

    @Test
    void expInThePastIsStillTheTruth() {
        long past = Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
        assertThat(JwtExpiry.of(plain("{\"exp\":" + past + "}"))).contains(Instant.ofEpochSecond(past));
        assertThat(JwtExpiry.of(plain("{\"exp\":0}"))).contains(Instant.EPOCH);
    }

    @Test
    void missingOrNonNumericExp() throws IOException {
        assertThat(JwtExpiry.of(plain("{\"iat\":" + EXP + "}"))).isEmpty();
        assertThat(JwtExpiry.of(plain("{\"exp\":\"" + EXP + "\"}"))).isEmpty();
        assertThat(JwtExpiry.of(plain("{\"exp\":null}"))).isEmpty();
        assertThat(JwtExpiry.of(plain("{\"exp\":-5}"))).isEmpty();
        assertThat(JwtExpiry.of(plain("{\"exp\":1e300}"))).isEmpty();
        assertThat(JwtExpiry.of(plain("[" + EXP + "]"))).isEmpty();
        assertThat(JwtExpiry.of(gzipped("{\"iat\":" + EXP + "}"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "opaque-access-token", "a.b", "a.b.c.d.e", "###.###.###", "e30.e30",
            "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig", "bm90IGpzb24.eyJleHAiOjF9.sig"})
    void unreadableTokens(String token) {
        assertThat(JwtExpiry.of(token)).isEmpty();
    }

    @Test
    void nullAndOversizedTokens() {
        assertThat(JwtExpiry.of(null)).isEmpty();
        assertThat(JwtExpiry.of(plain("{\"exp\":" + EXP + ",\"pad\":\"" + "x".repeat(20_000) + "\"}"))).isEmpty();
    }

    @Test
    void compressionItDoesNotKnowOrCannotInflate() throws IOException {
        String deflate = b64("{\"alg\":\"HS512\",\"zip\":\"DEF\"}") + "." + b64(gzip("{\"exp\":" + EXP + "}")) + "."
                + SIGNATURE;
        assertThat(JwtExpiry.of(deflate)).isEmpty();
        String notGzip = b64("{\"alg\":\"HS512\",\"zip\":\"GZIP\"}") + "." + b64("{\"exp\":" + EXP + "}") + "."
                + SIGNATURE;
        assertThat(JwtExpiry.of(notGzip)).isEmpty();
        // Inflates far beyond any real token: refused instead of filling the function's memory.
        String bomb = b64("{\"alg\":\"HS512\",\"zip\":\"GZIP\"}") + "."
                + b64(gzip("{\"exp\":" + EXP + ",\"pad\":\"" + " ".repeat(1_000_000) + "\"}")) + "." + SIGNATURE;
        assertThat(bomb.length()).isLessThan(16 * 1024);
        assertThat(JwtExpiry.of(bomb)).isEmpty();
    }

    @Test
    void refreshesEarlyByTheMarginButNeverByMoreThanATenthOfWhatIsLeft() {
        long now = 1_000_000_000L;
        Duration margin = Duration.ofMinutes(5);
        // A full hour: five minutes early.
        assertThat(AccessTokens.refreshAt(now, now + 3_600_000, margin)).isEqualTo(now + 3_300_000);
        // The same token handed out again with ten minutes left: one minute early, not five.
        assertThat(AccessTokens.refreshAt(now, now + 600_000, margin)).isEqualTo(now + 540_000);
        // Nearly spent: still used for nine tenths of what is left, not fetched again on every call.
        assertThat(AccessTokens.refreshAt(now, now + 20_000, margin)).isEqualTo(now + 18_000);
    }

    @Test
    void anAlreadyExpiredTokenIsNeverKept() {
        long now = 1_000_000_000L;
        assertThat(AccessTokens.refreshAt(now, now - 60_000, Duration.ofMinutes(5))).isEqualTo(now);
        assertThat(AccessTokens.refreshAt(now, now, Duration.ofMinutes(5))).isEqualTo(now);
    }
}
