package io.jumiorisk.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders the {@code Parameters.Payload} template of a Task state in {@code infra/statemachine/check.asl.json} the way
 * Step Functions does for the reference paths it uses ({@code $.a.b} on the state input, {@code $$.Execution.Input.a}
 * on the execution input, {@code $$.Task.Token} on the context), so that tests feed the handlers exactly what the state
 * machine sends.
 */
public final class AslPayloads {
    private static final Path ASL = Path.of("infra/statemachine/check.asl.json");
    private static final String EXECUTION_INPUT = "$$.Execution.Input.";

    private AslPayloads() {
    }

    public static JsonNode definition() {
        try {
            return Events.JSON.readTree(ASL.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + ASL, e);
        }
    }

    /** A state that reads only its own input (and the task token), e.g. {@code PollRetrieve}. */
    public static String render(String state, JsonNode stateInput, String taskToken) {
        return render(state, null, stateInput, taskToken);
    }

    /**
     * A state that also reads the execution input from the context object, e.g. {@code StartCheck}: its state input is
     * what the states before it left ({@code {"checkId": ...}}), the request fields come from the execution input.
     */
    public static String render(String state, JsonNode executionInput, JsonNode stateInput, String taskToken) {
        JsonNode template = definition().path("States").path(state).path("Parameters").path("Payload");
        if (!template.isObject()) {
            throw new AssertionError("State " + state + " has no Parameters.Payload object");
        }
        return render((ObjectNode) template, executionInput, stateInput, taskToken).toString();
    }

    private static ObjectNode render(ObjectNode template, JsonNode executionInput, JsonNode stateInput,
            String taskToken) {
        ObjectNode out = Events.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.endsWith(".$")) {
                String path = value.asText();
                JsonNode resolved;
                if (path.equals("$$.Task.Token")) {
                    resolved = Events.JSON.getNodeFactory().textNode(taskToken);
                } else if (path.startsWith(EXECUTION_INPUT)) {
                    if (executionInput == null) {
                        throw new AssertionError(path + " reads the execution input: pass it to render");
                    }
                    resolved = resolve(executionInput, path.substring(EXECUTION_INPUT.length()), path);
                } else if (path.startsWith("$.")) {
                    resolved = resolve(stateInput, path.substring(2), path);
                } else {
                    throw new AssertionError("Unsupported path in test renderer: " + path);
                }
                out.set(name.substring(0, name.length() - 2), resolved);
            } else if (value.isObject()) {
                out.set(name, render((ObjectNode) value, executionInput, stateInput, taskToken));
            } else {
                out.set(name, value);
            }
        }
        return out;
    }

    private static JsonNode resolve(JsonNode root, String dotted, String path) {
        JsonNode resolved = root;
        for (String part : dotted.split("\\.")) {
            resolved = resolved.path(part);
        }
        if (resolved.isMissingNode()) {
            throw new AssertionError("Step Functions would fail: " + path + " is not in the input");
        }
        return resolved;
    }
}
