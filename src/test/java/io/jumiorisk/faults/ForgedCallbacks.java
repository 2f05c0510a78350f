package io.jumiorisk.faults;

import static io.jumiorisk.faults.Category.FORGED_CALLBACK;
import static io.jumiorisk.faults.Scenario.Handler.CALLBACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import io.jumiorisk.check.CheckView;
import io.jumiorisk.sim.Endpoint;
import io.jumiorisk.sim.SeededWorkflow;
import io.jumiorisk.testing.Events;
import io.jumiorisk.testing.Forgeries;
import io.jumiorisk.testing.Lambda;
import io.jumiorisk.testing.TestServices;

/** Callbacks that did not come from Jumio, or that replay a genuine one: refused or ignored, and nothing changes. */
final class ForgedCallbacks {
    private ForgedCallbacks() {
    }

    static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        // The shared forgeries of a genuine callback (wrong source, missing or wrong token...), one scenario each.
        String[] names = Forgeries.of("{}", Run.SAMPLE_CHECK_ID, "k-0123456789abcdef").stream()
                .map(Forgeries.Forgery::name)
                .toArray(String[]::new);
        int[] statuses = Forgeries.of("{}", Run.SAMPLE_CHECK_ID, "k-0123456789abcdef").stream()
                .mapToInt(Forgeries.Forgery::status)
                .toArray();
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            s.add(refused(String.format("C%02d", i + 1), "forged: " + name, statuses[i],
                    (view, body) -> Forgeries.of(body, view.checkId(), TestServices.CALLBACK_TOKEN).stream()
                            .filter(f -> f.name().equals(name))
                            .findFirst().orElseThrow().event()));
        }
        int n = names.length;
        s.add(refused(String.format("C%02d", ++n), "forged: X-Forwarded-For names a Jumio address, the source is not",
                403,
                (view, body) -> Events.callback(body).signedFor(view.checkId()).sourceIp("198.51.100.7")
                        .header("x-forwarded-for", Forgeries.JUMIO_IP)));
        s.add(refused(String.format("C%02d", ++n), "forged: the deployment's secret itself as a bare token", 401,
                (view, body) -> Events.callback(body).query("token", TestServices.CALLBACK_TOKEN)
                        .sourceIp(Forgeries.JUMIO_IP)));
        s.add(new Scenario(String.format("C%02d", ++n), FORGED_CALLBACK, CALLBACK,
                "replayed: a genuine callback's workflow id with another account id",
                "200 UNKNOWN_WORKFLOW; nothing written or deleted; Jumio asked once, at the account the callback names",
                run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    List<?> before = TestServices.allItems();
                    run.sim.resetCounts();
                    Lambda.HttpAnswer answer = run.http(Run.callback(view.checkId(), view.workflowExecutionId(),
                            "66666666-7777-4888-8999-000000000000", "PROCESSED"));
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.body().path("status").asText()).isEqualTo("UNKNOWN_WORKFLOW");
                    assertThat(TestServices.allItems()).isEqualTo(before);
                    assertThat(run.sim.count(Endpoint.DETAILS)).isEqualTo(1);
                    assertThat(run.sim.count(Endpoint.DELETE)).isZero();
                }));
        s.add(new Scenario(String.format("C%02d", ++n), FORGED_CALLBACK, CALLBACK,
                "replayed: another integration's callback (a workflow that is not ours) at one of our check's URLs",
                "200 UNKNOWN_WORKFLOW; nothing written; the foreign workflow stays untracked", run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    SeededWorkflow foreign = run.sim.seedFinalizedWorkflow("10066", null);
                    run.foreign(foreign.workflowExecutionId());
                    List<?> before = TestServices.allItems();
                    Lambda.HttpAnswer answer = run
                            .http(Run.callback(view.checkId(), foreign.workflowExecutionId(), foreign.accountId(),
                                    "PROCESSED"));
                    assertThat(answer.body().path("status").asText()).isEqualTo("UNKNOWN_WORKFLOW");
                    assertThat(TestServices.allItems()).isEqualTo(before);
                }));
        s.add(new Scenario(String.format("C%02d", ++n), FORGED_CALLBACK, CALLBACK,
                "replayed: a genuine PROCESSED callback after the check completed",
                "200 IGNORED; the item is unchanged; no second details fetch", run -> {
                    CheckView view = run.start(run.ekyc());
                    Run.await("the decision", () -> "PROCESSED".equals(Run.status(view.checkId())));
                    Run.await("the callback's answer", () -> run.sim.callbackResults().size() == 1);
                    Object before = Run.check(view.checkId());
                    run.sim.resetCounts();
                    Lambda.HttpAnswer replay = run.http(Run.callback(view, "PROCESSED"));
                    assertThat(replay.body().path("status").asText()).isEqualTo("IGNORED");
                    assertThat(Run.check(view.checkId())).isEqualTo(before);
                    assertThat(run.jumioCalls()).isZero();
                }));
        s.add(new Scenario(String.format("C%02d", ++n), FORGED_CALLBACK, CALLBACK,
                "replayed: a genuine callback with its href pointing elsewhere",
                "200; the details are fetched from Jumio's own URL built from the ids, never the href", run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    assertThat(run.http(Run.callback(view, "PROCESSED")).status()).isEqualTo(200);
                    assertThat(run.sim.requests(Endpoint.DETAILS))
                            .allMatch(r -> r.path().equals("/retrieval/api/v1/accounts/"
                                    + view.accountId() + "/workflow-executions/" + view.workflowExecutionId()));
                    assertThat(Run.status(view.checkId())).isEqualTo("PROCESSED");
                }));
        return s;
    }

    /** Refused with {@code status}, no detail in the answer, nothing written, nothing asked of Jumio. */
    private static Scenario refused(String id, String injected, int status,
            BiFunction<CheckView, String, Events> forge) {
        return new Scenario(id, FORGED_CALLBACK, CALLBACK, injected, status + " without detail; nothing written",
                run -> {
                    run.sim.callbacks(false);
                    CheckView view = run.start(run.ekyc());
                    List<?> before = TestServices.allItems();
                    run.sim.resetCounts();
                    Lambda.HttpAnswer answer = run.http(forge.apply(view,
                            Run.callbackBody(view.workflowExecutionId(), view.accountId(), "PROCESSED")));
                    assertThat(answer.status()).isEqualTo(status);
                    assertThat(answer.body().has("detail")).isFalse();
                    assertThat(TestServices.allItems()).isEqualTo(before);
                    assertThat(run.jumioCalls()).isZero();
                });
    }
}
