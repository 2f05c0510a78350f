package io.jumiorisk.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes CloudWatch embedded metric format (EMF) documents: one JSON object per line, whose {@code _aws} member tells
 * CloudWatch Logs which of its members are metrics and which are dimensions. Written by hand rather than through a
 * library or an ObjectMapper: on a cold JVM the first flush of AWS's EMF libraries took about 180 ms, this writer's
 * about 1 ms, and a warm flush 140 against 20 microseconds (docs/observability.md).
 */
final class Emf {
    /** The specification's limits: metrics per directive, values per metric. */
    static final int MAX_METRICS = 100;
    static final int MAX_VALUES = 100;

    private Emf() {
    }

    /** A metric of a document: its name, its CloudWatch unit, and its values (several become an array). */
    record Metric(String name, String unit, List<Double> values) {
    }

    /**
     * The documents that carry {@code metrics} under {@code dimensions}: one, unless a limit of the specification
     * makes more (over 100 metrics, or a metric with over 100 values).
     *
     * @param dimensions the dimension members, name to value, all of them referenced by {@code dimensionSets}
     * @param dimensionSets each a list of dimension names, under which CloudWatch publishes every metric
     */
    static List<String> documents(String namespace, long timestamp, Map<String, String> dimensions,
            List<List<String>> dimensionSets, Collection<Metric> metrics) {
        List<String> documents = new ArrayList<>();
        List<Metric> all = new ArrayList<>(metrics);
        for (int from = 0; from < all.size(); from += MAX_METRICS) {
            List<Metric> slice = all.subList(from, Math.min(all.size(), from + MAX_METRICS));
            int chunks = 1;
            for (Metric metric : slice) {
                chunks = Math.max(chunks, (metric.values().size() + MAX_VALUES - 1) / MAX_VALUES);
            }
            for (int chunk = 0; chunk < chunks; chunk++) {
                String document = document(namespace, timestamp, dimensions, dimensionSets, slice, chunk);
                if (document != null) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private static String document(String namespace, long timestamp, Map<String, String> dimensions,
            List<List<String>> dimensionSets, List<Metric> metrics, int chunk) {
        StringBuilder definitions = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Metric metric : metrics) {
            List<Double> all = metric.values();
            int from = chunk * MAX_VALUES;
            if (from >= all.size()) {
                continue;
            }
            List<Double> mine = all.subList(from, Math.min(all.size(), from + MAX_VALUES));
            definitions.append(definitions.length() == 0 ? "" : ",").append("{\"Name\":");
            string(definitions, metric.name()).append(",\"Unit\":");
            string(definitions, metric.unit()).append('}');
            values.append(',');
            string(values, metric.name()).append(':');
            if (mine.size() == 1) {
                number(values, mine.get(0));
            } else {
                values.append('[');
                for (int i = 0; i < mine.size(); i++) {
                    number(i == 0 ? values : values.append(','), mine.get(i));
                }
                values.append(']');
            }
        }
        if (definitions.length() == 0) {
            return null;
        }
        StringBuilder out = new StringBuilder(256 + definitions.length() + values.length());
        out.append("{\"_aws\":{\"Timestamp\":").append(timestamp).append(",\"CloudWatchMetrics\":[{\"Namespace\":");
        string(out, namespace).append(",\"Dimensions\":[");
        for (int i = 0; i < dimensionSets.size(); i++) {
            out.append(i == 0 ? "[" : ",[");
            List<String> set = dimensionSets.get(i);
            for (int j = 0; j < set.size(); j++) {
                string(j == 0 ? out : out.append(','), set.get(j));
            }
            out.append(']');
        }
        out.append("],\"Metrics\":[").append(definitions).append("]}]}");
        for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
            string(out.append(','), dimension.getKey()).append(':');
            string(out, dimension.getValue());
        }
        return out.append(values).append('}').toString();
    }

    /** A JSON number; whole numbers without a fraction. NaN and infinities have no JSON form: they are written as 0. */
    private static void number(StringBuilder out, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append('0');
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
    }

    private static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
