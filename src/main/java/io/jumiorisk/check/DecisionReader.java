package io.jumiorisk.check;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jumiorisk.check.model.Decision;

/**
 * Reduces Jumio's workflow details to the decision summary we may keep. Capability {@code data} is never read: it
 * can hold the end user's personal data.
 */
public final class DecisionReader {
    private DecisionReader() {
    }

    /** The summary, or null when the details carry no decision yet. */
    public static Decision read(JsonNode details) {
        JsonNode decision = details.path("decision");
        if (!decision.hasNonNull("type")) {
            return null;
        }
        List<Decision.CapabilityDecision> capabilities = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = details.path("capabilities").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> capability = it.next();
            JsonNode value = capability.getValue();
            if (value.isArray()) {
                value.forEach(entry -> capabilities.add(capability(capability.getKey(), entry)));
            } else if (value.isObject()) {
                capabilities.add(capability(capability.getKey(), value));
            }
        }
        JsonNode score = decision.path("risk").path("score");
        return new Decision(text(decision.path("type")), text(decision.path("details").path("label")),
                score.isNumber() ? score.asInt() : null, capabilities);
    }

    private static Decision.CapabilityDecision capability(String name, JsonNode entry) {
        JsonNode d = entry.path("decision");
        return new Decision.CapabilityDecision(name, text(d.path("type")), text(d.path("details").path("label")));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? shorten(node.asText()) : null;
    }

    /** Labels are short codes; anything longer is not one and is not kept. */
    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64);
    }
}
