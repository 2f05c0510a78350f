package io.jumiorisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.testing.EmfLines;

/**
 * The EMF writer against CloudWatch's embedded metric format specification: a root object whose {@code _aws} member
 * holds a {@code Timestamp} (milliseconds since the epoch) and {@code CloudWatchMetrics} directives (a
 * {@code Namespace}, {@code Dimensions} as arrays of dimension names, {@code Metrics} as name and unit), every
 * referenced name a member of the root (dimension values strings, metric values numbers or arrays of at most 100
 * numbers), at most 100 metrics per directive.
 */
class EmfTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> DIMS = new LinkedHashMap<>(Map.of("service", "jumio-risk"));
    static {
        DIMS.put("function", "initiate");
        DIMS.put("operation", "account_create");
        DIMS.put("result", "2xx");
    }
    static final List<List<String>> SETS = List.of(List.of("service", "function", "operation", "result"),
            List.of("service", "result"), List.of("service"));

    @Test
    void aDocumentFollowsTheSpecification() throws Exception {
        List<String> docs = Emf.documents("JumioRisk", 1_796_000_000_000L, DIMS, SETS,
                List.of(new Emf.Metric("JumioCalls", "Count", List.of(2.0)),
                        new Emf.Metric("JumioLatency", "Milliseconds", List.of(12.0, 7.5))));

        assertThat(docs).hasSize(1);
        assertThat(docs.get(0)).doesNotContain("\n");
        JsonNode doc = JSON.readTree(docs.get(0));
        assertThat(EmfLines.violations(doc)).isEmpty();
        assertThat(doc.path("_aws").path("Timestamp").asLong()).isEqualTo(1_796_000_000_000L);
        JsonNode directive = doc.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("JumioRisk");
        assertThat(directive.path("Dimensions").toString())
                .isEqualTo("[[\"service\",\"function\",\"operation\",\"result\"],[\"service\",\"result\"],"
                        + "[\"service\"]]");
        assertThat(directive.path("Metrics").toString()).isEqualTo("[{\"Name\":\"JumioCalls\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"JumioLatency\",\"Unit\":\"Milliseconds\"}]");
        assertThat(doc.path("JumioCalls").isIntegralNumber()).as("whole counts without a fraction").isTrue();
        assertThat(doc.path("JumioCalls").asInt()).isEqualTo(2);
        assertThat(doc.path("JumioLatency").toString()).isEqualTo("[12,7.5]");
        assertThat(doc.path("operation").asText()).isEqualTo("account_create");
    }

    @Test
    void moreThanAHundredValuesOrMetricsAreSplitOverDocuments() throws Exception {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            latencies.add((double) i);
        }
        List<String> docs = Emf.documents("JumioRisk", 1_796_000_000_000L, DIMS, SETS,
                List.of(new Emf.Metric("JumioCalls", "Count", List.of(250.0)),
                        new Emf.Metric("JumioLatency", "Milliseconds", latencies)));
        assertThat(docs).hasSize(3);
        int values = 0;
        int calls = 0;
        for (String text : docs) {
            JsonNode doc = JSON.readTree(text);
            assertThat(EmfLines.violations(doc)).isEmpty();
            values += doc.path("JumioLatency").size();
            calls += doc.path("JumioCalls").asInt(0);
        }
        assertThat(values).isEqualTo(250);
        assertThat(calls).as("a count is written once").isEqualTo(250);

        List<Emf.Metric> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(new Emf.Metric("m" + i, "Count", List.of(1.0)));
        }
        List<String> split = Emf.documents("JumioRisk", 1L, Map.of("service", "s"), List.of(List.of("service")),
                many);
        assertThat(split).hasSize(2);
        assertThat(JSON.readTree(split.get(0)).path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").size())
                .isEqualTo(100);
    }

    @Test
    void stringsAreEscapedAndNonFiniteNumbersStayJson() throws Exception {
        String doc = Emf.documents("Name\"with\\odd\nchars", 1L, Map.of("service", "a\"b"),
                List.of(List.of("service")), List.of(new Emf.Metric("x", "Count", List.of(Double.NaN)))).get(0);
        JsonNode parsed = JSON.readTree(doc);
        assertThat(parsed.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText())
                .isEqualTo("Name\"with\\odd\nchars");
        assertThat(parsed.path("service").asText()).isEqualTo("a\"b");
        assertThat(parsed.path("x").asInt()).isZero();
    }
}
