package io.jumiorisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceHeaderTest {
    @Test
    void readsTheRootAndTheSamplingDecision() {
        TraceHeader header = TraceHeader
                .parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a:1");
        assertThat(header).isEqualTo(new TraceHeader("1-5759e988-bd862e3fe1be46a994272793", true));
        assertThat(TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")
                .sampled()).isFalse();
    }

    @Test
    void anythingElseIsNoHeader() {
        // The test event server hands out the request id as the trace header.
        assertThat(TraceHeader.parse("6b1f3c1e-3f0b-4f43-9d83-0f1c1d1e1f10")).isNull();
        assertThat(TraceHeader.parse(null)).isNull();
        assertThat(TraceHeader.parse("Root=jane@example.com;Sampled=1")).isNull();
        assertThat(TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a99427279;Sampled=1")).isNull();
    }
}
