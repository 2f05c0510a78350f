package io.jumiorisk.jumio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JumioRegionTest {

    @Test
    void regionsAndTheirAliasesMapToJumiosHosts() {
        assertThat(JumioRegion.parse("amer-1").authUrl()).isEqualTo("https://auth.amer-1.jumio.ai");
        assertThat(JumioRegion.parse("US")).isEqualTo(JumioRegion.AMER_1);
        assertThat(JumioRegion.parse("eu").accountUrl()).isEqualTo("https://account.emea-1.jumio.ai");
        assertThat(JumioRegion.parse(" SG ").retrievalUrl()).isEqualTo("https://retrieval.apac-1.jumio.ai");
        assertThat(JumioRegion.APAC_1.callbackSources()).contains("3.0.109.121", "52.64.132.26").hasSize(6);
        assertThatThrownBy(() -> JumioRegion.parse("mars-1")).hasMessageContaining("amer-1, emea-1 or apac-1");
    }
}
