package io.jumiorisk.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The error contract and the state machine cannot drift apart: every Lambda task of {@code check.asl.json} retries
 * exactly the errors the contract calls transient, catches the final ones by name, and names no error that the
 * product does not throw.
 */
class ErrorContractTest {
    private static final String PREFIX = "io.jumiorisk.errors.";

    @Test
    void everyLambdaTaskRetriesTheTransientErrorsAndCatchesTheFinalOnes() throws IOException {
        List<Map.Entry<String, JsonNode>> tasks = lambdaTasks();
        assertThat(tasks).extracting(Map.Entry::getKey).contains("StartCheck", "PollRetrieve");
        for (Map.Entry<String, JsonNode> task : tasks) {
            Set<String> retried = ours(task.getValue().path("Retry"));
            Set<String> caught = ours(task.getValue().path("Catch"));
            for (ErrorContract contract : ErrorContract.values()) {
                String name = contract.type().getName();
                if (contract.transientFailure()) {
                    assertThat(retried).as("%s retries %s", task.getKey(), name).contains(name);
                    assertThat(caught).as("%s must not catch transient %s", task.getKey(), name).doesNotContain(name);
                } else {
                    assertThat(retried).as("%s must not retry final %s", task.getKey(), name).doesNotContain(name);
                    assertThat(caught).as("%s catches %s", task.getKey(), name).contains(name);
                }
            }
        }
    }

    @Test
    void theStateMachineNamesOnlyErrorsTheProductThrows() throws IOException {
        Set<String> known = new TreeSet<>();
        for (ErrorContract contract : ErrorContract.values()) {
            known.add(contract.type().getName());
        }
        for (Map.Entry<String, JsonNode> task : lambdaTasks()) {
            assertThat(known).containsAll(ours(task.getValue().path("Retry")));
            assertThat(known).containsAll(ours(task.getValue().path("Catch")));
        }
    }

    @Test
    void eachContractNamesItsOwnClass() {
        for (ErrorContract contract : ErrorContract.values()) {
            assertThat(contract.type().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase())
                    .isEqualTo(contract.name());
        }
    }

    private static List<Map.Entry<String, JsonNode>> lambdaTasks() throws IOException {
        JsonNode states = new ObjectMapper().readTree(Path.of("infra/statemachine/check.asl.json").toFile())
                .path("States");
        List<Map.Entry<String, JsonNode>> tasks = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> state = it.next();
            if (state.getValue().path("Resource").asText().contains(":lambda:invoke")) {
                tasks.add(state);
            }
        }
        return tasks;
    }

    private static Set<String> ours(JsonNode rules) {
        Set<String> names = new TreeSet<>();
        rules.forEach(rule -> rule.path("ErrorEquals").forEach(e -> {
            if (e.asText().startsWith(PREFIX)) {
                names.add(e.asText());
            }
        }));
        return names;
    }
}
