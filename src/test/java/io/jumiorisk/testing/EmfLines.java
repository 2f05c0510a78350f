package io.jumiorisk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.ops.Metrics;

/**
 * The metric lines the functions wrote (in the tests, through the log category {@link Metrics#EMF_CATEGORY} into
 * {@code target/test-app.log}), and what makes one valid: CloudWatch's embedded metric format specification, and the
 * product's own rules (one namespace, known dimensions whose values are names from the code, never an id).
 */
public final class EmfLines {
    public static final Path LOG = Path.of("target/test-app.log");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The specification's units. */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    static final Set<String> DIMENSIONS = Set.of("service", "function", "operation", "result", "status", "reason");
    static final Set<String> METRICS = Set.of("ChecksStarted", "ChecksEnded", "ChecksErased", "JumioCalls",
            "JumioLatency", "TokenFetches", "CallbacksAccepted", "CallbacksDuplicate", "CallbacksUnknownWorkflow",
            "CallbacksNotRecorded", "CallbacksRefused", "ReconciliationPolls", "OrphansFound", "OrphansDeleted",
            "ErasuresFinished", "PendingErasures", "OldestPendingErasureAge", "PendingOrphans", "TaskCompletionsSent",
            "TaskCompletionFailures");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** What an id looks like: a UUID, or a long run of hex or digits. */
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-|[0-9a-fA-F]{16,}|[0-9]{9,}");

    private EmfLines() {
    }

    /** Every metric line in the test log so far, parsed. */
    public static List<JsonNode> inLog() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(LOG)) {
            return lines;
        }
        for (String line : Files.readAllLines(LOG)) {
            if (!line.contains(Metrics.EMF_CATEGORY)) {
                continue;
            }
            JsonNode record = JSON.readTree(line);
            if (Metrics.EMF_CATEGORY.equals(record.path("loggerName").asText())) {
                lines.add(JSON.readTree(record.path("message").asText()));
            }
        }
        return lines;
    }

    /** What is wrong with every metric line in the log: an empty list when all are valid. */
    public static List<String> violationsInLog() throws IOException {
        List<String> all = new ArrayList<>();
        for (JsonNode line : inLog()) {
            for (String v : violations(line)) {
                all.add(v + " in " + line);
            }
        }
        return all;
    }

    /** What breaks the specification or the product's rules in one document. */
    public static List<String> violations(JsonNode doc) {
        List<String> v = new ArrayList<>();
        if (!doc.isObject()) {
            return List.of("the root is not an object");
        }
        JsonNode aws = doc.get("_aws");
        if (aws == null || !aws.isObject()) {
            return List.of("no _aws object");
        }
        JsonNode timestamp = aws.get("Timestamp");
        if (timestamp == null || !timestamp.isIntegralNumber() || timestamp.asLong() < 1_600_000_000_000L) {
            v.add("_aws.Timestamp is not a number of milliseconds since the epoch");
        }
        for (Iterator<String> it = aws.fieldNames(); it.hasNext();) {
            String member = it.next();
            if (!Set.of("Timestamp", "CloudWatchMetrics").contains(member)) {
                v.add("_aws has an unknown member " + member);
            }
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray() || directives.isEmpty()) {
            v.add("_aws.CloudWatchMetrics is not a non-empty array");
            return v;
        }
        Set<String> referenced = new HashSet<>();
        for (JsonNode directive : directives) {
            if (!"JumioRisk".equals(directive.path("Namespace").asText(null))) {
                v.add("Namespace is not JumioRisk");
            }
            JsonNode namespace = directive.get("Namespace");
            if (namespace == null || !namespace.isTextual() || namespace.asText().isEmpty()
                    || namespace.asText().length() > 255) {
                v.add("Namespace must be a string of 1-255 characters");
            }
            JsonNode sets = directive.get("Dimensions");
            if (sets == null || !sets.isArray()) {
                v.add("Dimensions is not an array");
            } else {
                for (JsonNode set : sets) {
                    if (!set.isArray() || set.size() > 30) {
                        v.add("a DimensionSet is not an array of at most 30 names");
                        continue;
                    }
                    for (JsonNode name : set) {
                        checkDimension(doc, name.asText(), v);
                        referenced.add(name.asText());
                    }
                }
            }
            JsonNode metrics = directive.get("Metrics");
            if (metrics == null || !metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
                v.add("Metrics is not an array of 1-100 definitions");
                continue;
            }
            for (JsonNode definition : metrics) {
                String name = definition.path("Name").asText("");
                if (name.isEmpty() || name.length() > 255) {
                    v.add("a metric Name is not a string of 1-255 characters");
                }
                if (!METRICS.contains(name)) {
                    v.add("unknown metric " + name + " (docs/observability.md lists them)");
                }
                if (definition.has("Unit") && !UNITS.contains(definition.get("Unit").asText())) {
                    v.add("metric " + name + " has a unit the specification does not know");
                }
                JsonNode value = doc.get(name);
                if (value == null) {
                    v.add("metric " + name + " has no value member");
                } else if (value.isArray()) {
                    if (value.isEmpty() || value.size() > 100) {
                        v.add("metric " + name + " has an array of more than 100 values");
                    }
                    value.forEach(n -> {
                        if (!n.isNumber()) {
                            v.add("metric " + name + " has a value that is not a number");
                        }
                    });
                } else if (!value.isNumber()) {
                    v.add("metric " + name + " is not a number or an array of numbers");
                }
                referenced.add(name);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> member = it.next();
            if (!member.getKey().equals("_aws") && !referenced.contains(member.getKey())) {
                v.add("member " + member.getKey() + " is neither a metric nor a dimension: ids and other"
                        + " properties stay out of metric lines");
            }
        }
        return v;
    }

    private static void checkDimension(JsonNode doc, String name, List<String> v) {
        if (!DIMENSIONS.contains(name)) {
            v.add("unknown dimension " + name);
        }
        JsonNode value = doc.get(name);
        if (value == null || !value.isTextual()) {
            v.add("dimension " + name + " has no string value member");
        } else if (!NAME.matcher(value.asText()).matches() || ID.matcher(value.asText()).find()) {
            v.add("dimension " + name + " has a value that is not a name from the code: " + value.asText());
        }
    }
}
