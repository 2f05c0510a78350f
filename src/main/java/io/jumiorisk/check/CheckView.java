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
        DecisionView decision, List<CapabilityView> capabilities, ErasureView erasure, Links links) {

    public static CheckView of(CheckRecord r) {
        Decision d = r.decision();
        CheckRecord.Erasure e = r.erasure();
        return new CheckView(r.checkId(), r.status().name(), r.accountId(), r.workflowExecutionId(), r.createdAt(),
                r.updatedAt(), r.completedAt(), r.detailsPending() ? Boolean.TRUE : null, r.failureReason(),
                d == null ? null : new DecisionView(d.type(), d.label(), d.riskScore()),
                d == null
                        ? null
                        : d.capabilities().stream()
                                .map(c -> new CapabilityView(c.name(), new DecisionView(c.type(), c.label(), null)))
                                .toList(),
                e == null ? null : new ErasureView(e.scope(), e.requestedAt(), e.erasedAt(), e.outcome()),
                new Links("/checks/" + r.checkId()));
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
