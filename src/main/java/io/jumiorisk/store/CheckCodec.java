package io.jumiorisk.store;

import static io.jumiorisk.store.Attr.flag;
import static io.jumiorisk.store.Attr.instant;
import static io.jumiorisk.store.Attr.num;
import static io.jumiorisk.store.Attr.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jumiorisk.check.model.Check;
import io.jumiorisk.check.model.CheckStatus;
import io.jumiorisk.check.model.ErasureOutcome;
import io.jumiorisk.check.model.ErasureScope;
import io.jumiorisk.check.model.FailureReason;
import io.jumiorisk.check.model.Step;
import io.jumiorisk.check.model.TaskState;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A check item as the typed {@link Check}. Attribute names are the table's, unchanged since the first release. */
final class CheckCodec {
    private CheckCodec() {
    }

    static Check decode(Map<String, AttributeValue> item) {
        String step = str(item, "step");
        String taskState = str(item, "taskState");
        String failure = str(item, "failureReason");
        return new Check(
                str(item, "checkId"),
                CheckStatus.valueOf(str(item, "status")),
                step == null ? Step.RECORDED : Step.valueOf(step),
                str(item, "requestHash"),
                str(item, "referenceHash"),
                str(item, "workflowKey"),
                workflow(item),
                resume(item),
                lease(item),
                new Check.Timeline(instant(item, "createdAt"), instant(item, "updatedAt"),
                        instant(item, "finalizedAt"), instant(item, "completedAt")),
                failure == null ? null : FailureReason.parse(failure),
                callback(item),
                flag(item, "detailsPending"),
                DecisionCodec.decode(item.get("decision")),
                str(item, "sealedTaskToken") == null
                        ? null
                        : new Check.Task(str(item, "sealedTaskToken"),
                                taskState == null ? null : TaskState.valueOf(taskState)),
                polling(item),
                str(item, "idempotencyItem"),
                erasure(item),
                attempts(item.get("startAttempts")),
                num(item, "orphansDeleted") == null ? 0 : num(item, "orphansDeleted").intValue(),
                flag(item, "confirmPending"));
    }

    /** One ambiguous account request, as an element of the {@code startAttempts} list. */
    static AttributeValue encode(Check.StartAttempt attempt) {
        return AttributeValue.fromM(Map.of("at", Attr.time(attempt.at()), "answer", Attr.s(attempt.answer())));
    }

    private static List<Check.StartAttempt> attempts(AttributeValue list) {
        if (list == null || !list.hasL()) {
            return List.of();
        }
        List<Check.StartAttempt> attempts = new ArrayList<>();
        for (AttributeValue a : list.l()) {
            attempts.add(new Check.StartAttempt(instant(a.m(), "at"), str(a.m(), "answer")));
        }
        return attempts;
    }

    private static Check.Workflow workflow(Map<String, AttributeValue> item) {
        String accountId = str(item, "accountId");
        String workflowExecutionId = str(item, "workflowExecutionId");
        return accountId == null || workflowExecutionId == null
                ? null
                : new Check.Workflow(accountId, workflowExecutionId);
    }

    private static Check.Resume resume(Map<String, AttributeValue> item) {
        String upload = str(item, "preparedDataUrl");
        String finalizeUrl = str(item, "workflowExecutionUrl");
        String sealed = str(item, "sealedToken");
        return upload == null && finalizeUrl == null && sealed == null
                ? null
                : new Check.Resume(upload, finalizeUrl, sealed);
    }

    private static Check.Lease lease(Map<String, AttributeValue> item) {
        String owner = str(item, "leaseOwner");
        Long until = num(item, "leaseUntil");
        return owner == null || until == null ? null : new Check.Lease(owner, until);
    }

    private static Check.CallbackReceipt callback(Map<String, AttributeValue> item) {
        String status = str(item, "callbackStatus");
        return status == null ? null : new Check.CallbackReceipt(status, instant(item, "callbackReceivedAt"));
    }

    private static Check.Polling polling(Map<String, AttributeValue> item) {
        Long count = num(item, "pollCount");
        return new Check.Polling(count == null ? 0 : count.intValue(), instant(item, "nextPollAt"));
    }

    private static Check.Erasure erasure(Map<String, AttributeValue> item) {
        String scope = str(item, "erasureScope");
        if (scope == null) {
            return null;
        }
        String outcome = str(item, "erasureOutcome");
        return new Check.Erasure(ErasureScope.fromWire(scope), instant(item, "erasureRequestedAt"),
                instant(item, "erasedAt"), outcome == null ? null : ErasureOutcome.valueOf(outcome));
    }
}
