package io.jumiorisk.sim;

import java.util.Locale;
import java.util.Set;

/**
 * The overall decision of a simulated workflow execution: {@code decision.type}, {@code decision.details.label}
 * and {@code decision.risk.score} in the retrieval details.
 */
public record Outcome(String decisionType, String label, int score) {

    public static final Set<String> DECISION_TYPES = Set.of("PASSED", "WARNING", "REJECTED", "NOT_EXECUTED");

    public static final Outcome PASSED = new Outcome("PASSED", "OK", 10);
    public static final Outcome WARNING = new Outcome("WARNING", "WARNING", 50);
    public static final Outcome REJECTED = new Outcome("REJECTED", "TXN_REJECTED", 100);
    public static final Outcome NOT_EXECUTED = new Outcome("NOT_EXECUTED", "TECHNICAL_ERROR", -1);

    public Outcome {
        if (decisionType == null || !DECISION_TYPES.contains(decisionType.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("decisionType must be one of " + DECISION_TYPES + ": " + decisionType);
        }
        decisionType = decisionType.toUpperCase(Locale.ROOT);
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label is required");
        }
        if (score < -1 || score > 100) {
            throw new IllegalArgumentException("score must be in -1..100: " + score);
        }
    }

    /** Label used on each capability's decision (REJECTED → HIGH_RISK, WARNING → MEDIUM_RISK, ...). */
    public String capabilityLabel() {
        return switch (decisionType) {
            case "REJECTED" -> "HIGH_RISK";
            case "WARNING" -> "MEDIUM_RISK";
            case "NOT_EXECUTED" -> "TECHNICAL_ERROR";
            default -> "OK";
        };
    }
}
