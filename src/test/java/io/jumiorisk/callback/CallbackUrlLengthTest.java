package io.jumiorisk.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.jumiorisk.jumio.ConfigRules;
import io.jumiorisk.testing.StubJumioConfig;

/**
 * Jumio's 255-character limit for {@code callbackUrl} counts what the product appends: the startup check takes that
 * length from {@link CallbackToken}, which builds it.
 */
class CallbackUrlLengthTest {

    private static CallbackToken withToken(String token) {
        CallbackConfig config = new CallbackConfig() {
            @Override
            public Optional<String> token() {
                return Optional.ofNullable(token);
            }

            @Override
            public Optional<String> tokenSecretId() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> allowedSources() {
                return Optional.empty();
            }

            @Override
            public Duration fetchBudget() {
                return Duration.ofSeconds(5);
            }

            @Override
            public int maxBodyBytes() {
                return 16384;
            }
        };
        return new CallbackToken(config, null, StubJumioConfig.defaults());
    }

    @Test
    void theSignedFormIsReservedEvenForAShortToken() {
        // ?check=<36-char uuid>&sig=<64 hex>
        assertThat(CallbackToken.SIGNED_FORM_LENGTH).isEqualTo(112);
        assertThat(withToken("cb-" + "a".repeat(32)).maxAppendedLength()).isEqualTo(112);
        assertThat(withToken(null).maxAppendedLength()).isEqualTo(112);
    }

    @Test
    void aLongerTokenCountsAsItIsSentUrlEncoded() {
        String token = "t/" + "x".repeat(150);
        // "?token=" and the token with its slash encoded as %2F.
        assertThat(withToken(token).maxAppendedLength()).isEqualTo(7 + 154);
    }

    @Test
    void theStartupCheckUsesIt() {
        CallbackToken token = withToken("k".repeat(230));
        String url = "https://hooks.example.com/cb";
        assertThatCode(() -> ConfigRules.callbackUrl(url, false, withToken("short").maxAppendedLength()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ConfigRules.callbackUrl(url, false, token.maxAppendedLength()))
                .hasMessageStartingWith("JUMIO_CALLBACK_URL is too long");
    }
}
