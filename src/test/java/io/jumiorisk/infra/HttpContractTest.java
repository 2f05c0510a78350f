package io.jumiorisk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.jumiorisk.callback.CallbackIntake;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.ErasureOutcome;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.errors.ErrorContract;
import io.jumiorisk.local.HttpContract;
import io.jumiorisk.testing.CfnTemplate;

/**
 * The contract's closed lists are the code's: an error type, a status or an outcome added on one side only would
 * otherwise show up only when a test happens to produce it.
 */
class HttpContractTest {
    static final Map<String, Object> SCHEMAS = CfnTemplate.map(CfnTemplate.map(HttpContract.load().root()
            .get("components")).get("schemas"));

    /** The enum of {@code schema}'s property {@code property}. */
    static Set<Object> enumOf(String schema, String property) {
        Map<String, Object> properties = CfnTemplate.map(CfnTemplate.map(SCHEMAS.get(schema)).get("properties"));
        return new TreeSet<>(CfnTemplate.list(CfnTemplate.map(properties.get(property)).get("enum")).stream()
                .map(String::valueOf).toList());
    }

    static Set<Object> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyErrorTypeIsNamedAndNoOther() {
        assertThat(enumOf("Problem", "errorType")).isEqualTo(Arrays.stream(ErrorContract.values())
                .map(c -> c.type().getName()).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void everyErrorsStatusIsAnAnswerOfSomeRoute() {
        Set<String> answered = new TreeSet<>();
        HttpContract.load().operations().values()
                .forEach(op -> answered.addAll(CfnTemplate.map(op.get("responses")).keySet()));
        for (ErrorContract c : ErrorContract.values()) {
            assertThat(answered).as(c.name()).contains(Integer.toString(c.httpStatus()));
        }
    }

    @Test
    void theStatusesOfACheck() {
        assertThat(enumOf("Check", "status")).isEqualTo(names(CheckStatus.values()));
    }

    @Test
    void theErasureOutcomesAndScopes() {
        assertThat(enumOf("Erasure", "jumio")).isEqualTo(names(ErasureOutcome.values()));
        assertThat(enumOf("Erasure", "scope")).isEqualTo(Arrays.stream(ErasureScope.values())
                .map(ErasureScope::wire).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void theCallbackAnswersEveryOutcomeThatIsA200() {
        // REFUSED is a 401 and NOT_RECORDED a 503: problems, not callback answers.
        Set<Object> answered = names(CallbackIntake.Outcome.values());
        answered.removeAll(List.of("REFUSED", "NOT_RECORDED"));
        assertThat(enumOf("CallbackAnswer", "status")).isEqualTo(answered);
    }
}
