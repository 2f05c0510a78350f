package io.jumiorisk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;

/** The rule that leaves every invocation time for the writes after its last outbound call. */
class InvocationBudgetTest {

    @Test
    void theReserveCoversTwoWritesAndTheAnswer() {
        assertThat(InvocationBudget.minimumReserve(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(6_500));
        assertThat(InvocationBudget.minimumReserve(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(10_500));
    }

    @Test
    void aReserveTooShortForTheWritesStopsTheFunction() {
        assertThatThrownBy(() -> InvocationBudget.verify(Duration.ofSeconds(5), Duration.ofSeconds(3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("functions.reserve")
                .hasMessageContaining("checks.write-timeout");
        assertThatCode(() -> InvocationBudget.verify(Duration.ofMillis(6_500), Duration.ofSeconds(3)))
                .doesNotThrowAnyException();
    }

    @Test
    void theShippedSettingsKeepTheRule() throws IOException, NoSuchMethodException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Duration writeTimeout = Duration.parse(properties.getProperty("checks.write-timeout"));
        // The SDK's own cap is this very setting, not a copy that could drift from it.
        assertThat(properties.getProperty("quarkus.dynamodb.api-call-timeout")).isEqualTo("${checks.write-timeout}");
        Duration reserve = Duration.parse(FunctionsConfig.class.getMethod("reserve").getAnnotation(WithDefault.class)
                .value());

        assertThatCode(() -> InvocationBudget.verify(reserve, writeTimeout)).doesNotThrowAnyException();
    }
}
