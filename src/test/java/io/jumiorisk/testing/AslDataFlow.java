package io.jumiorisk.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the execution input of {@code check.asl.json} can flow. The input holds {@code preparedData} (personal data),
 * and every state's input and output lands in the execution history, so the definition must keep it to one place:
 * <ul>
 * <li>the first state receives the input and must not pass it on: a Pass state whose output is only what its
 * Parameters build, from intrinsic functions without arguments (the check's new id), nothing of its input;</li>
 * <li>from then on the state holds no input, so the only way back to it is the context object ({@code $$}): only the
 * state that starts the check ({@value #START_CHECK}) may read it, field by field ({@code $$.Execution.Input.x}, never
 * the whole input), and only into its Parameters, which go to initiate and not into the state;</li>
 * <li>no other state names {@code preparedData} at all, in any field (Parameters, paths, selectors, comments).</li>
 * </ul>
 * {@link #violations} lists every breach, so that a test can show the shipped definition has none and that each kind
 * of breach is caught.
 */
public final class AslDataFlow {
    public static final String START_CHECK = "StartCheck";
    private static final String EXECUTION_INPUT = "$$.Execution.Input.";
    private static final Pattern NO_ARGUMENT_INTRINSIC = Pattern.compile("States\\.[A-Za-z]+\\(\\)");
    private static final Pattern INPUT_FIELD = Pattern.compile(Pattern.quote(EXECUTION_INPUT) + "[A-Za-z0-9_]+");

    private AslDataFlow() {
    }

    public static List<String> violations(JsonNode definition) {
        List<String> violations = new ArrayList<>();
        JsonNode states = definition.path("States");
        String startAt = definition.path("StartAt").asText();
        firstState(startAt, states.path(startAt), violations);
        if (!states.has(START_CHECK)) {
            violations.add("no state " + START_CHECK);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> state = it.next();
            walk(state.getKey(), "", state.getValue(), violations);
        }
        return violations;
    }

    private static void firstState(String name, JsonNode state, List<String> violations) {
        if (!"Pass".equals(state.path("Type").asText()) || !state.has("Parameters") || state.has("Result")) {
            violations.add(name + ": the first state must be a Pass state that builds its output with Parameters");
        }
        if (!isWholeState(state.path("ResultPath")) || !isWholeState(state.path("OutputPath"))) {
            violations.add(name + ": the first state's ResultPath/OutputPath must make the output its Parameters' "
                    + "result alone, or the execution input is passed on");
        }
        paramValues(state.path("Parameters"), "Parameters", name, (where, value) -> {
            if (!NO_ARGUMENT_INTRINSIC.matcher(value).matches()) {
                violations.add(name + "." + where + " = " + value + ": the first state may build its output only "
                        + "from intrinsic functions without arguments, not from its input");
            }
        }, violations);
    }

    private static boolean isWholeState(JsonNode path) {
        return path.isMissingNode() || "$".equals(path.asText(null));
    }

    private interface PathValue {
        void accept(String where, String value);
    }

    private static void paramValues(JsonNode node, String where, String state, PathValue each,
            List<String> violations) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().endsWith(".$")) {
                    each.accept(where + "." + f.getKey(), f.getValue().asText());
                } else {
                    paramValues(f.getValue(), where + "." + f.getKey(), state, each, violations);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                paramValues(element, where + "[]", state, each, violations);
            }
        }
    }

    /** Every key and string value of a state, with the field path that holds it. */
    private static void walk(String state, String where, JsonNode node, List<String> violations) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                String at = where.isEmpty() ? f.getKey() : where + "." + f.getKey();
                text(state, at, f.getKey(), violations);
                walk(state, at, f.getValue(), violations);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                walk(state, where + "[]", element, violations);
            }
        } else if (node.isTextual()) {
            text(state, where, node.asText(), violations);
        }
    }

    private static void text(String state, String where, String text, List<String> violations) {
        boolean startCheck = START_CHECK.equals(state);
        boolean inPayload = where.startsWith("Parameters.Payload.");
        if (text.toLowerCase(java.util.Locale.ROOT).contains("prepareddata")) {
            boolean theOneRead = startCheck && where.equals("Parameters.Payload.preparedData.$")
                    && (text.equals("preparedData.$") || text.equals(EXECUTION_INPUT + "preparedData"));
            if (!theOneRead) {
                violations.add(state + "." + where + " names preparedData (\"" + text + "\"): only " + START_CHECK
                        + "'s Parameters.Payload may, reading it from the execution input");
            }
        }
        if (text.contains("$$")) {
            boolean token = text.equals("$$.Task.Token");
            boolean inputField = startCheck && inPayload && INPUT_FIELD.matcher(text).matches();
            if (!token && !inputField) {
                violations.add(state + "." + where + " = " + text + ": the context object may be read only for the "
                        + "task token, and for the execution input only by " + START_CHECK
                        + "'s Parameters.Payload, one field at a time");
            }
        }
    }
}
