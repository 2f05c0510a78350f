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
        DecisionView decision, List<CapabilityView> capabilities, ErasureView erasure, Links links) {

    public static CheckView of(Check c) {
        Decision d = c.decision();
        Check.Erasure e = c.erasure();
        Check.Timeline t = c.times();
        return new CheckView(c.checkId(), c.status().name(), c.accountId(), c.workflowExecutionId(), t.createdAt(),
                t.updatedAt(), t.completedAt(), c.detailsPending() ? Boolean.TRUE : null,
                c.failure() == null ? null : c.failure().code(),
                d == null ? null : new DecisionView(d.type(), d.label(), d.riskScore()),
                d == null
                        ? null
                        : d.capabilities().stream()
                                .map(cap -> new CapabilityView(cap.name(),
                                        new DecisionView(cap.type(), cap.label(), null)))
                                .toList(),
                e == null
                        ? null
                        : new ErasureView(e.scope() == null ? null : e.scope().wire(), e.requestedAt(), e.erasedAt(),
                                e.outcome() == null ? null : e.outcome().name()),
                new Links("/checks/" + c.checkId()));
    }

    /**
     * An erasure asked for or done. {@code jumio}: {@code DELETED}, {@code ALREADY_GONE} (Jumio answered 404) or
     * {@code NO_WORKFLOW_STARTED}; absent while the erasure is still to be completed.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErasureView(String scope, Instant requestedAt, Instant erasedAt, String jumio) {
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
