package io.jumiorisk.check;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.Decision;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A check as callers see it, over HTTP and from Step Functions alike. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckView(String checkId, String status, String accountId, String workflowExecutionId,
        Instant createdAt, Instant updatedAt, Instant completedAt, Boolean detailsPending, String failureReason,
        DecisionView decision, List<CapabilityView> capabilities, List<AttemptView> startAttempts,
        Integer orphansDeleted, ErasureView erasure, Links links) {
    private static final String MAY_EXIST = "An account request that Jumio answered ambiguously may have left a"
            + " workflow at Jumio; it is deleted when Jumio reveals it by its expiry callback.";

    public static CheckView of(Check c) {
        Check.Timeline t = c.times();
        return new CheckView(c.checkId(), c.status().name(), c.accountId(), c.workflowExecutionId(), t.createdAt(),
                t.updatedAt(), t.completedAt(), c.detailsPending() ? Boolean.TRUE : null,
                c.failure() == null ? null : c.failure().code(), decision(c.decision()), capabilities(c.decision()),
                c.attempts().isEmpty()
                        ? null
                        : c.attempts().stream().map(a -> new AttemptView(a.at(), a.answer())).toList(),
                c.orphansDeleted() == 0 ? null : c.orphansDeleted(), erasure(c), new Links("/checks/" + c.checkId()));
    }

    private static DecisionView decision(Decision d) {
        return d == null ? null : new DecisionView(d.type(), d.label(), d.riskScore());
    }

    private static List<CapabilityView> capabilities(Decision d) {
        return d == null
                ? null
                : d.capabilities().stream()
                        .map(cap -> new CapabilityView(cap.name(), new DecisionView(cap.type(), cap.label(), null)))
                        .toList();
    }

    private static ErasureView erasure(Check c) {
        Check.Erasure e = c.erasure();
        if (e == null) {
            return null;
        }
        int unresolved = c.unresolvedAttempts();
        return new ErasureView(e.scope() == null ? null : e.scope().wire(), e.requestedAt(), e.erasedAt(),
                e.outcome() == null ? null : e.outcome().name(), unresolved == 0 ? null : unresolved,
                unresolved == 0 ? null : MAY_EXIST);
    }

    /**
     * An erasure asked for or done. {@code jumio}: {@code DELETED}, {@code ALREADY_GONE} (Jumio answered 404),
     * {@code NO_WORKFLOW_STARTED}, or {@code ATTEMPT_UNRESOLVED} (no workflow of its own, but an ambiguous account
     * request may have left one); absent while the erasure is still to be completed. {@code unresolvedAttempts} and
     * {@code pending} say what may still be at Jumio, and that it is deleted when Jumio reveals it.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErasureView(String scope, Instant requestedAt, Instant erasedAt, String jumio,
            Integer unresolvedAttempts, String pending) {
    }

    /** An account request that Jumio answered ambiguously: when, and what came back. */
    @RegisterForReflection
    public record AttemptView(Instant at, String answer) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DecisionView(String type, String label, Integer riskScore) {
    }

    @RegisterForReflection
    public record CapabilityView(String name, DecisionView decision) {
    }

    @RegisterForReflection
    public record Links(String self) {
    }
}
