package io.jumiorisk.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jumiorisk.aws.SecretReader;
import io.jumiorisk.jumio.ConfigRules;
import io.jumiorisk.testing.StubJumioConfig;

/** Each check's callback URL carries the check's id and its keyed hash; the current and the previous key verify. */
class CallbackKeysTest {
    private static final String CHECK = "1e7c9288-84c5-4361-acce-d5b625f7a507";
    private static final String URL = "https://hooks.example.com/callbacks/jumio";

    @Test
    void theUrlNamesTheCheckAndItsKeyedHash() {
        CallbackKeys keys = keys(config("current-key", null, Optional.empty()), null);

        String url = keys.callbackUrl(CHECK);

        assertThat(url).matches(java.util.regex.Pattern.quote(URL) + "\\?check=" + CHECK + "&sig=[0-9a-f]{64}");
        assertThat(url.length() - URL.length()).isEqualTo(keys.maxAppendedLength()).isEqualTo(112);
        assertThat(keys.verifies(CHECK, url.substring(url.indexOf("&sig=") + 5))).isTrue();
    }

    @Test
    void aKeyProvesOneCheckOnly() {
        CallbackKeys keys = keys(config("current-key", null, Optional.empty()), null);
        String signature = CallbackKeys.sign("current-key", CHECK);
        String other = UUID.randomUUID().toString();

        assertThat(keys.verifies(CHECK, signature)).isTrue();
        assertThat(keys.verifies(other, signature)).as("another check's key").isFalse();
        assertThat(keys.verifies(CHECK, CallbackKeys.sign("someone-elses-key", CHECK))).isFalse();
        for (String garbage : new String[]{null, "", "abc", signature.toUpperCase(), signature + "0",
                signature.substring(1)}) {
            assertThat(keys.verifies(CHECK, garbage)).as(String.valueOf(garbage)).isFalse();
        }
        assertThat(keys.verifies(null, signature)).isFalse();
    }

    @Test
    void duringARotationTheCurrentAndThePreviousKeyVerify() {
        CallbackKeys keys = keys(config("new-key", "old-key", Optional.empty()), null);

        assertThat(keys.verifies(CHECK, CallbackKeys.sign("new-key", CHECK))).isTrue();
        assertThat(keys.verifies(CHECK, CallbackKeys.sign("old-key", CHECK))).isTrue();
        assertThat(keys.verifies(CHECK, CallbackKeys.sign("older-key", CHECK))).isFalse();
        assertThat(keys.callbackUrl(CHECK)).endsWith(CallbackKeys.sign("new-key", CHECK));
    }

    @Test
    void aRotatedSecretIsReadAgainAtMostOnceAMinute() {
        Map<String, String> secret = new HashMap<>(Map.of("callbackToken", "key-1"));
        FakeSecrets secrets = new FakeSecrets(secret);
        CallbackKeys keys = keys(config(null, null, Optional.of("callback-secret")), secrets);
        assertThat(keys.verifies(CHECK, CallbackKeys.sign("key-1", CHECK))).isTrue();

        // The secret is rotated: key-2 is current, key-1 previous. This container still holds key-1 alone.
        secret.put("callbackToken", "key-2");
        secret.put("previousCallbackToken", "key-1");
        assertThat(keys.verifies(CHECK, CallbackKeys.sign("key-2", CHECK))).as("read again").isTrue();
        assertThat(keys.verifies(CHECK, CallbackKeys.sign("key-1", CHECK))).as("the previous key").isTrue();
        assertThat(secrets.reads).isEqualTo(2);

        // A forger's guesses make it read the secret once a minute at most.
        for (int i = 0; i < 10; i++) {
            assertThat(keys.verifies(CHECK, CallbackKeys.sign("guess-" + i, CHECK))).isFalse();
        }
        assertThat(secrets.reads).isEqualTo(2);
    }

    @Test
    void aContainerSignsWithTheRotatedKeyOnceItsCopyIsTenMinutesOld() {
        Map<String, String> secret = new HashMap<>(Map.of("callbackToken", "key-1"));
        FakeSecrets secrets = new FakeSecrets(secret);
        long[] now = {1_000_000};
        CallbackKeys keys = new CallbackKeys(config(null, null, Optional.of("callback-secret")), secrets,
                StubJumioConfig.defaults().withCallbackUrl(URL), () -> now[0]);
        assertThat(keys.callbackUrl(CHECK)).endsWith("&sig=" + CallbackKeys.sign("key-1", CHECK));

        secret.put("callbackToken", "key-2");
        secret.put("previousCallbackToken", "key-1");
        now[0] += CallbackKeys.SIGN_WITH_A_KEY_AT_MOST.toMillis();
        assertThat(keys.callbackUrl(CHECK)).as("not yet").endsWith("&sig=" + CallbackKeys.sign("key-1", CHECK));
        now[0] += 1;
        assertThat(keys.callbackUrl(CHECK)).endsWith("&sig=" + CallbackKeys.sign("key-2", CHECK));
        assertThat(keys.callbackUrl(CHECK)).endsWith("&sig=" + CallbackKeys.sign("key-2", CHECK));
        assertThat(secrets.reads).as("read again once").isEqualTo(2);
    }

    @Test
    void theStartupCheckCountsWhatTheUrlGains() {
        CallbackKeys keys = keys(config("k", null, Optional.empty()), null);
        String fits = "https://hooks.example.com/" + "p".repeat(255 - 112 - 26);
        assertThatCode(() -> ConfigRules.callbackUrl(fits, false, keys.maxAppendedLength())).doesNotThrowAnyException();
        assertThatThrownBy(() -> ConfigRules.callbackUrl(fits + "p", false, keys.maxAppendedLength()))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL is too long");
    }

    private static CallbackKeys keys(CallbackConfig config, SecretReader secrets) {
        return new CallbackKeys(config, secrets, StubJumioConfig.defaults().withCallbackUrl(URL));
    }

    /** A secret kept in a map, counting how often it is read from "Secrets Manager". */
    private static final class FakeSecrets extends SecretReader {
        private final Map<String, String> secret;
        private Map<String, String> cached;
        int reads;

        FakeSecrets(Map<String, String> secret) {
            super(null, null);
            this.secret = secret;
        }

        @Override
        public String field(String secretId, String field) {
            return optionalField(secretId, field).orElseThrow();
        }

        @Override
        public Optional<String> optionalField(String secretId, String field) {
            if (cached == null) {
                cached = new HashMap<>(secret);
                reads++;
            }
            return Optional.ofNullable(cached.get(field));
        }

        @Override
        public void forget(String secretId) {
            cached = null;
        }
    }

    static CallbackConfig config(String token, String previous, Optional<String> secretId) {
        return new CallbackConfig() {
            @Override
            public Optional<String> token() {
                return Optional.ofNullable(token);
            }

            @Override
            public Optional<String> previousToken() {
                return Optional.ofNullable(previous);
            }

            @Override
            public Optional<String> tokenSecretId() {
                return secretId;
            }

            @Override
            public Optional<List<String>> allowedSources() {
                return Optional.empty();
            }

            @Override
            public Duration fetchBudget() {
                return Duration.ofSeconds(3);
            }

            @Override
            public int maxBodyBytes() {
                return 16384;
            }
        };
    }
}
