package io.jumiorisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jumiorisk.testing.EmfLines;

/** What one invocation's metrics become: which lines, under which dimensions, and nothing that is not a name. */
class MetricsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static OpsConfig config(boolean enabled) {
        return new OpsConfig() {
            @Override
            public MetricsSettings metrics() {
                return new MetricsSettings() {
                    public boolean enabled() {
                        return enabled;
                    }

                    public String namespace() {
                        return "JumioRisk";
                    }

                    public String service() {
                        return "jumio-risk";
                    }

                    public Sink sink() {
                        return Sink.STDOUT;
                    }
                };
            }

            @Override
            public TracingSettings tracing() {
                return new TracingSettings() {
                    public String mode() {
                        return "PassThrough";
                    }

                    public Optional<String> daemonAddress() {
                        return Optional.empty();
                    }
                };
            }
        };
    }

    /** Runs {@code work} as one invocation of {@code function} and returns the lines it wrote to standard output. */
    static List<JsonNode> invocation(Metrics metrics, String function, Runnable work) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            metrics.begin(function);
            work.run();
            metrics.flush();
        } finally {
            System.setOut(out);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void anInvocationWritesOneLinePerSetOfDimensionValues() throws Exception {
        Metrics metrics = new Metrics(config(true));
        List<JsonNode> lines = invocation(metrics, "initiate", () -> {
            metrics.checkStarted();
            metrics.tokenFetched();
            metrics.jumioCall("token", "2xx", 5);
            metrics.jumioCall("account create", "5xx", 40);
            metrics.jumioCall("account create", "5xx", 42);
            metrics.jumioCall("account create", "2xx", 30);
            metrics.checkEnded("FAILED");
        });

        assertThat(lines).hasSize(5);
        lines.forEach(line -> assertThat(EmfLines.violations(line)).as(line.toString()).isEmpty());
        JsonNode base = lines.get(0);
        assertThat(base.path("function").asText()).isEqualTo("initiate");
        assertThat(base.path("service").asText()).isEqualTo("jumio-risk");
        assertThat(base.path("ChecksStarted").asInt()).isEqualTo(1);
        assertThat(base.path("TokenFetches").asInt()).isEqualTo(1);
        JsonNode failing = lines.stream().filter(l -> "5xx".equals(l.path("result").asText())).findFirst().get();
        assertThat(failing.path("operation").asText()).isEqualTo("account_create");
        assertThat(failing.path("JumioCalls").asInt()).isEqualTo(2);
        assertThat(failing.path("JumioLatency").toString()).isEqualTo("[40,42]");
        assertThat(failing.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[\"service\",\"function\",\"operation\",\"result\"],[\"service\",\"result\"],"
                        + "[\"service\"]]");
        JsonNode ended = lines.get(4);
        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(ended.path("ChecksEnded").asInt()).isEqualTo(1);
    }

    @Test
    void gaugesKeepTheirLastValueAndCountsAddUp() throws Exception {
        Metrics metrics = new Metrics(config(true));
        List<JsonNode> lines = invocation(metrics, "erase", () -> {
            metrics.orphanDeleted();
            metrics.orphanDeleted();
            metrics.sweep(3, 2, 90_000, 1);
        });
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("OrphansDeleted").asInt()).isEqualTo(2);
        assertThat(line.path("ErasuresFinished").asInt()).isEqualTo(3);
        assertThat(line.path("PendingErasures").asInt()).isEqualTo(2);
        assertThat(line.path("OldestPendingErasureAge").asLong()).isEqualTo(90_000);
        assertThat(line.path("PendingOrphans").asInt()).isEqualTo(1);
        assertThat(line.toString()).contains("{\"Name\":\"OldestPendingErasureAge\",\"Unit\":\"Seconds\"}");
    }

    @Test
    void aValueThatIsNotANameFromTheCodeNeverBecomesADimension() throws Exception {
        Metrics metrics = new Metrics(config(true));
        List<JsonNode> lines = invocation(metrics, "callback", () -> {
            metrics.callbackRefused("3ff1e8c7-035b-4cd8-8f3f-2d8a379be28d jane@example.com");
            metrics.checkEnded(null);
        });
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("reason").asText()).isEqualTo("OTHER");
        assertThat(lines.get(1).path("status").asText()).isEqualTo("OTHER");
        assertThat(lines.toString()).doesNotContain("jane").doesNotContain("3ff1e8c7");
    }

    @Test
    void callbackOutcomesMapToTheirMetrics() throws Exception {
        Metrics metrics = new Metrics(config(true));
        List<JsonNode> lines = invocation(metrics, "callback", () -> {
            for (String outcome : List.of("RECORDED", "ORPHAN_FOUND", "IGNORED", "UNKNOWN_WORKFLOW", "NOT_RECORDED",
                    "REFUSED")) {
                metrics.callbackAnswered(outcome);
            }
        });
        JsonNode base = lines.get(0);
        assertThat(base.path("CallbacksAccepted").asInt()).isEqualTo(2);
        assertThat(base.path("CallbacksDuplicate").asInt()).isEqualTo(1);
        assertThat(base.path("CallbacksUnknownWorkflow").asInt()).isEqualTo(1);
        assertThat(base.path("CallbacksNotRecorded").asInt()).isEqualTo(1);
        assertThat(lines.get(1).path("reason").asText()).isEqualTo("WORKFLOW_MISMATCH");
        assertThat(lines.get(1).path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[\"service\",\"function\",\"reason\"],[\"service\"]]");
    }

    @Test
    void nothingIsWrittenWhenDisabledOrOutsideAnInvocationOrWhenNothingHappened() throws Exception {
        Metrics off = new Metrics(config(false));
        assertThat(invocation(off, "initiate", off::checkStarted)).isEmpty();
        Metrics on = new Metrics(config(true));
        on.checkStarted(); // no invocation open: dropped
        assertThat(invocation(on, "retrieve", () -> {
        })).isEmpty();
    }

    @Test
    void resultClasses() {
        assertThat(Metrics.resultClass(200)).isEqualTo("2xx");
        assertThat(Metrics.resultClass(204)).isEqualTo("2xx");
        assertThat(Metrics.resultClass(404)).isEqualTo("4xx");
        assertThat(Metrics.resultClass(429)).isEqualTo("429");
        assertThat(Metrics.resultClass(503)).isEqualTo("5xx");
    }
}
