package io.jumiorisk.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders the {@code Parameters.Payload} template of a Task state in {@code infra/statemachine/check.asl.json} the way
 * Step Functions does for the reference paths it uses ({@code $.a.b} on the state input, {@code $$.Task.Token} on the
 * context), so that tests feed the handlers exactly what the state machine sends.
 */
public final class AslPayloads {
    private static final Path ASL = Path.of("infra/statemachine/check.asl.json");

    private AslPayloads() {
    }

    public static JsonNode definition() {
        try {
            return Events.JSON.readTree(ASL.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + ASL, e);
        }
    }

    public static String render(String state, JsonNode input, String taskToken) {
        JsonNode template = definition().path("States").path(state).path("Parameters").path("Payload");
        if (!template.isObject()) {
            throw new AssertionError("State " + state + " has no Parameters.Payload object");
        }
        return render((ObjectNode) template, input, taskToken).toString();
    }

    private static ObjectNode render(ObjectNode template, JsonNode input, String taskToken) {
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
                } else if (path.startsWith("$.")) {
                    resolved = input;
                    for (String part : path.substring(2).split("\\.")) {
                        resolved = resolved.path(part);
                    }
                    if (resolved.isMissingNode()) {
                        throw new AssertionError("Step Functions would fail: " + path + " is not in the input");
                    }
                } else {
                    throw new AssertionError("Unsupported path in test renderer: " + path);
                }
                out.set(name.substring(0, name.length() - 2), resolved);
            } else if (value.isObject()) {
                out.set(name, render((ObjectNode) value, input, taskToken));
            } else {
                out.set(name, value);
            }
        }
        return out;
    }
}
