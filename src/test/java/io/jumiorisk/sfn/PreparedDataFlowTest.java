package io.jumiorisk.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.testing.AslDataFlow;
import io.jumiorisk.testing.AslPayloads;

/**
 * {@code check.asl.json} keeps the execution input, and so preparedData, out of every state but the one that starts
 * the check (see {@link AslDataFlow} for the rules); the moto run that shows the same on a real execution history is
 * {@code MotoStepFunctionsTest.preparedDataIsInTheExecutionInputAndStartChecksScheduledTaskOnly}.
 */
class PreparedDataFlowTest {

    @Test
    void theShippedDefinitionKeepsTheInputInStartCheckAlone() {
        assertThat(AslDataFlow.violations(AslPayloads.definition())).isEmpty();
    }

    @Test
    void theMachineNamesTheCheckFirstAndStartCheckReadsTheRequestFromTheExecutionInput() {
        JsonNode states = AslPayloads.definition().path("States");
        assertThat(AslPayloads.definition().path("StartAt").asText()).isEqualTo("NameCheck");
        assertThat(states.path("NameCheck").path("Parameters").path("checkId.$").asText()).isEqualTo("States.UUID()");
        assertThat(states.path("NameCheck").path("Next").asText()).isEqualTo("StartCheck");

        JsonNode payload = states.path("StartCheck").path("Parameters").path("Payload");
        assertThat(payload.path("checkId.$").asText()).isEqualTo("$.checkId");
        for (String field : new String[]{"customerInternalReference", "userReference", "workflowDefinitionKey",
                "preparedData"}) {
            assertThat(payload.path(field + ".$").asText()).isEqualTo("$$.Execution.Input." + field);
        }
        assertThat(payload.path("taskToken.$").asText()).isEqualTo("$$.Task.Token");
    }

    @Test
    void theTimeoutFallbackPollsRetrieveByTheIdAndNoStateStartsTheCheckAgain() {
        JsonNode states = AslPayloads.definition().path("States");
        assertThat(states.has("ReinitiateCheck")).isFalse();
        JsonNode timeout = null;
        for (JsonNode c : states.path("StartCheck").path("Catch")) {
            if (c.path("ErrorEquals").toString().contains("States.Timeout")) {
                timeout = c;
            }
        }
        assertThat(timeout).isNotNull();
        assertThat(timeout.path("Next").asText()).isEqualTo("StartPolling");
        assertThat(states.path("StartPolling").path("Next").asText()).isEqualTo("PollRetrieve");
        assertThat(states.path("PollRetrieve").path("Parameters").path("Payload").toString())
                .isEqualTo("{\"checkId.$\":\"$.checkId\"}");
        states.fields().forEachRemaining(s -> {
            if (!s.getKey().equals("StartCheck")) {
                assertThat(s.getValue().path("Parameters").path("FunctionName").asText())
                        .as("%s invokes initiate", s.getKey()).isNotEqualTo("${InitiateFunctionArn}");
            }
        });
    }

    // ------------------------------------------------------------------ the rules catch each kind of leak

    @ParameterizedTest
    @ValueSource(strings = {"keepsInputInFirstState", "firstStateReadsInput", "laterTaskReadsPreparedData",
            "laterPassCopiesWholeInput", "startCheckSelectsInputIntoState", "startCheckSendsWholeInput",
            "laterStateReadsContextObject", "reinitiateAfterTimeout"})
    void aDefinitionThatLeaksTheInputIsCaught(String leak) {
        ObjectNode asl = AslPayloads.definition().deepCopy();
        ObjectNode states = (ObjectNode) asl.path("States");
        Consumer<ObjectNode> mutation = switch (leak) {
            case "keepsInputInFirstState" -> s -> ((ObjectNode) s.path("NameCheck")).put("ResultPath", "$.named");
            case "firstStateReadsInput" -> s -> ((ObjectNode) s.path("NameCheck").path("Parameters"))
                    .put("reference.$", "$.customerInternalReference");
            case "laterTaskReadsPreparedData" -> s -> ((ObjectNode) s.path("PollRetrieve").path("Parameters")
                    .path("Payload")).put("preparedData.$", "$$.Execution.Input.preparedData");
            case "laterPassCopiesWholeInput" -> s -> ((ObjectNode) s.path("StartPolling")).putObject("Parameters")
                    .put("request.$", "$$.Execution.Input");
            case "startCheckSelectsInputIntoState" -> s -> ((ObjectNode) s.path("StartCheck"))
                    .putObject("ResultSelector").put("email.$", "$$.Execution.Input.preparedData.email");
            case "startCheckSendsWholeInput" -> s -> ((ObjectNode) s.path("StartCheck").path("Parameters")
                    .path("Payload")).put("request.$", "$$.Execution.Input");
            case "laterStateReadsContextObject" -> s -> ((ObjectNode) s.path("RecordPollResult"))
                    .put("InputPath", "$$");
            case "reinitiateAfterTimeout" -> s -> {
                ObjectNode again = s.putObject("ReinitiateCheck");
                again.put("Type", "Task").put("Resource", "arn:aws:states:::lambda:invoke").put("Next", "PollRetrieve");
                again.putObject("Parameters").put("FunctionName", "${InitiateFunctionArn}").putObject("Payload")
                        .put("preparedData.$", "$.preparedData");
            };
            default -> throw new IllegalArgumentException(leak);
        };
        mutation.accept(states);

        assertThat(AslDataFlow.violations(asl)).as(leak).isNotEmpty();
    }
}
