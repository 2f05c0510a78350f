package io.jumiorisk.check;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jumiorisk.store.CheckRecord;
import io.jumiorisk.store.Decision;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A check as callers see it, over HTTP and from Step Functions alike. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckView(String checkId, String status, String accountId, String workflowExecutionId,
        Instant createdAt, Instant updatedAt, Instant completedAt, Boolean detailsPending, String failureReason,
        DecisionView decision, List<CapabilityView> capabilities, Links links) {

    public static CheckView of(CheckRecord r) {
        Decision d = r.decision();
        return new CheckView(r.checkId(), r.status().name(), r.accountId(), r.workflowExecutionId(), r.createdAt(),
                r.updatedAt(), r.completedAt(), r.detailsPending() ? Boolean.TRUE : null, r.failureReason(),
                d == null ? null : new DecisionView(d.type(), d.label(), d.riskScore()),
                d == null ? null : d.capabilities().stream()
                        .map(c -> new CapabilityView(c.name(), new DecisionView(c.type(), c.label(), null))).toList(),
                new Links("/checks/" + r.checkId()));
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
