package io.jumiorisk.check.model;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Jumio's verdict, reduced to what may be stored: types, labels and the score, never capability data. */
@RegisterForReflection
public record Decision(String type, String label, Integer riskScore, List<CapabilityDecision> capabilities) {

    @RegisterForReflection
    public record CapabilityDecision(String name, String type, String label) {
    }
}
