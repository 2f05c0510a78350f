package io.jumiorisk.jumio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccountRequestTest {

    @Test
    void tokenLifetimesInJumiosRangeAndFormAreTaken() {
        for (String lifetime : new String[]{"5m", "300s", "1h", "30m", "60d", "+10m"}) {
            assertThat(AccountRequest.checkedLifetime(lifetime)).isEqualTo(lifetime);
        }
    }

    @Test
    void anythingElseStopsTheFunctionNamingTheSetting() {
        for (String lifetime : new String[]{"4m", "299s", "61d", "-5m", "5", "5 m", "5min", "", null,
                "9999999999d"}) {
            assertThatThrownBy(() -> AccountRequest.checkedLifetime(lifetime)).as(String.valueOf(lifetime))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("JUMIO_TOKEN_LIFETIME");
        }
    }
}
