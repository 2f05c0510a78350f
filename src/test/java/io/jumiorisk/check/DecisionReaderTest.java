package io.jumiorisk.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jumiorisk.check.model.Decision;
import io.jumiorisk.check.model.Decision.CapabilityDecision;

class DecisionReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noDecisionYetIsNull() {
        assertThat(DecisionReader.read(json("{}"))).isNull();
        assertThat(DecisionReader.read(json("{\"workflow\":{\"status\":\"PROCESSED\"}}"))).isNull();
        assertThat(DecisionReader.read(json("{\"decision\":{}}"))).isNull();
        assertThat(DecisionReader.read(json("{\"decision\":{\"type\":null,\"risk\":{\"score\":10}}}"))).isNull();
        assertThat(DecisionReader.read(json("{\"decision\":\"PASSED\"}"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PASSED", "REJECTED", "WARNING", "NOT_EXECUTED"})
    void theDecisionTypeLabelAndScoreAreKept(String type) {
        Decision d = DecisionReader.read(json("""
                {"decision":{"type":"%s","details":{"label":"OK_LABEL"},"risk":{"score":42}}}""".formatted(type)));

        assertThat(d).isEqualTo(new Decision(type, "OK_LABEL", 42, List.of()));
    }

    @Test
    void scoresMayBeDecimalOrNegativeAndAreAbsentWhenNotANumber() {
        assertThat(score("50.0")).isEqualTo(50);
        assertThat(score("-1.0")).isEqualTo(-1);
        assertThat(score("0")).isZero();
        assertThat(score("100")).isEqualTo(100);
        assertThat(score("\"50\"")).isNull();
        assertThat(score("null")).isNull();
        assertThat(score("{\"value\":50}")).isNull();
        assertThat(DecisionReader.read(json("{\"decision\":{\"type\":\"PASSED\"}}")).riskScore()).isNull();
    }

    private static Integer score(String score) {
        return DecisionReader.read(json("{\"decision\":{\"type\":\"WARNING\",\"risk\":{\"score\":" + score + "}}}"))
                .riskScore();
    }

    @Test
    void capabilitiesComeAsArraysOrAsObjects() {
        Decision d = DecisionReader.read(json("""
                {"decision":{"type":"REJECTED","details":{"label":"REJECTED"}},
                 "capabilities":{
                   "watchlistScreening":[
                     {"id":"c1","decision":{"type":"PASSED","details":{"label":"OK"}}},
                     {"id":"c2","decision":{"type":"WARNING","details":{"label":"ALERT"}}}],
                   "emailRisk":{"id":"c3","decision":{"type":"REJECTED","details":{"label":"HIGH_RISK"}}},
                   "phoneRisk":{"id":"c4"},
                   "ignoredScalar":"x",
                   "ignoredNull":null}}"""));

        assertThat(d.capabilities()).containsExactly(
                new CapabilityDecision("watchlistScreening", "PASSED", "OK"),
                new CapabilityDecision("watchlistScreening", "WARNING", "ALERT"),
                new CapabilityDecision("emailRisk", "REJECTED", "HIGH_RISK"),
                new CapabilityDecision("phoneRisk", null, null));
    }

    @Test
    void capabilitiesOfAnyOtherShapeAreNone() {
        assertThat(DecisionReader.read(json("{\"decision\":{\"type\":\"PASSED\"},\"capabilities\":[1,2]}"))
                .capabilities()).isEmpty();
        assertThat(DecisionReader.read(json("{\"decision\":{\"type\":\"PASSED\"},\"capabilities\":\"x\"}"))
                .capabilities()).isEmpty();
    }

    @Test
    void capabilityDataIsNeverRead() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("email", "jane.leak@example.com").put("firstName", "Janeleak").put("ssn", "987654321");
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.putObject("decision").put("type", "WARNING");
        ObjectNode capabilities = details.putObject("capabilities");
        capabilities.set("emailRisk", new Tripwire(json("{\"decision\":{\"type\":\"PASSED\"}}"), data));
        capabilities.putArray("watchlistScreening")
                .add(new Tripwire(json("{\"decision\":{\"type\":\"WARNING\",\"details\":{\"label\":\"ALERT\"}}}"),
                        data));

        Decision d = DecisionReader.read(details);

        assertThat(d.capabilities()).containsExactly(new CapabilityDecision("emailRisk", "PASSED", null),
                new CapabilityDecision("watchlistScreening", "WARNING", "ALERT"));
        assertThat(d.toString()).doesNotContain("leak", "Janeleak", "987654321");
    }

    @Test
    void longLabelsAndTypesAreCutTo64Characters() {
        String label64 = "L".repeat(64);
        String long100 = "X".repeat(100);
        Decision d = DecisionReader.read(json("""
                {"decision":{"type":"%2$s","details":{"label":"%2$s"}},
                 "capabilities":{"a":{"decision":{"type":"%1$s","details":{"label":"%2$s"}}}}}"""
                .formatted(label64, long100)));

        assertThat(d.type()).isEqualTo("X".repeat(64));
        assertThat(d.label()).isEqualTo("X".repeat(64));
        assertThat(d.capabilities().get(0).type()).isEqualTo(label64);
        assertThat(d.capabilities().get(0).label()).isEqualTo("X".repeat(64));
    }

    @Test
    void aLabelThatIsNotAValueIsNotKept() {
        Decision d = DecisionReader.read(json("""
                {"decision":{"type":"PASSED","details":{"label":{"text":"OK"}}},
                 "capabilities":{"a":{"decision":{"type":["PASSED"],"details":{"label":{"text":"OK"}}}}}}"""));

        assertThat(d.type()).isEqualTo("PASSED");
        assertThat(d.label()).isNull();
        assertThat(d.capabilities()).containsExactly(new CapabilityDecision("a", null, null));
    }

    /**
     * A capability entry that holds {@code data} and fails the test when anything reaches for it: by name, or by
     * walking or copying the entry's fields. Only {@code decision} can be read.
     */
    private static final class Tripwire extends ObjectNode {
        Tripwire(JsonNode withDecision, ObjectNode data) {
            super(JsonNodeFactory.instance);
            super.set("decision", withDecision.get("decision"));
            super.set("data", data);
        }

        private static AssertionError touched(String how) {
            return new AssertionError("capability data was reached for: " + how);
        }

        private static void guard(String name) {
            if (!"decision".equals(name)) {
                throw touched("field " + name);
            }
        }

        @Override
        public JsonNode get(String name) {
            guard(name);
            return super.get(name);
        }

        @Override
        public JsonNode path(String name) {
            guard(name);
            return super.path(name);
        }

        @Override
        public Optional<JsonNode> optional(String name) {
            guard(name);
            return super.optional(name);
        }

        @Override
        public Iterator<Map.Entry<String, JsonNode>> fields() {
            throw touched("fields()");
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> properties() {
            throw touched("properties()");
        }

        @Override
        public Stream<Map.Entry<String, JsonNode>> propertyStream() {
            throw touched("propertyStream()");
        }

        @Override
        public void forEachEntry(BiConsumer<? super String, ? super JsonNode> action) {
            throw touched("forEachEntry()");
        }

        @Override
        public Iterator<String> fieldNames() {
            throw touched("fieldNames()");
        }

        @Override
        public Iterator<JsonNode> elements() {
            throw touched("elements()");
        }

        @Override
        public Iterator<JsonNode> values() {
            throw touched("values()");
        }

        @Override
        public JsonNode findValue(String name) {
            throw touched("findValue()");
        }

        @Override
        public List<JsonNode> findValues(String name, List<JsonNode> found) {
            throw touched("findValues()");
        }

        @Override
        public List<String> findValuesAsText(String name, List<String> found) {
            throw touched("findValuesAsText()");
        }

        @Override
        public ObjectNode deepCopy() {
            throw touched("deepCopy()");
        }

        @Override
        public String toString() {
            throw touched("toString()");
        }
    }
}
