package io.jumiorisk.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * The product's CloudWatch metrics: the one class the flow tells what happened. What an invocation records is kept
 * for its thread and written at its end ({@link #flush}), as embedded metric format lines that CloudWatch Logs turns
 * into metrics; no call to CloudWatch, nothing for the invocation to wait on. Outside an invocation (init, tools)
 * nothing is recorded.
 * <p>
 * Privacy and cardinality: every dimension value is one of a fixed set that the code names (a function, a Jumio
 * operation, a status class, a reason), never an id or anything a caller sent; a value of any other shape is written
 * as {@code OTHER}. Metric lines carry no id at all. docs/observability.md lists every metric.
 */
@ApplicationScoped
public class Metrics {
    /** The logger category that takes the lines instead of standard output when {@code ops.metrics.sink=LOG}. */
    public static final String EMF_CATEGORY = "io.jumiorisk.ops.emf";
    private static final Logger EMF_LOG = Logger.getLogger(EMF_CATEGORY);
    private static final Logger LOG = Logger.getLogger(Metrics.class);
    /** What a dimension value may look like: a name from the code, never free text. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    static final String COUNT = "Count";
    static final String MILLISECONDS = "Milliseconds";
    static final String SECONDS = "Seconds";

    private final OpsConfig.MetricsSettings config;
    private final String service;
    private final ThreadLocal<Batch> current = new ThreadLocal<>();

    public Metrics(OpsConfig config) {
        this.config = config.metrics();
        this.service = safe(this.config.service());
    }

    /** Opens the invocation's batch: everything recorded on this thread until {@link #flush} goes into it. */
    public void begin(String function) {
        current.set(config.enabled() ? new Batch(safe(function)) : null);
    }

    /** Writes the invocation's metrics, one line per set of dimension values, and closes the batch. */
    public void flush() {
        Batch batch = current.get();
        current.remove();
        if (batch == null || batch.groups.isEmpty()) {
            return;
        }
        try {
            for (String line : batch.lines(config.namespace(), service, System.currentTimeMillis())) {
                if (config.sink() == OpsConfig.Sink.LOG) {
                    EMF_LOG.info(line);
                } else {
                    // Straight to standard output, not through the JSON log format: CloudWatch Logs reads a line as
                    // EMF only when the line itself is the EMF object.
                    System.out.println(line);
                }
            }
        } catch (RuntimeException e) {
            // Metrics must never fail an invocation that has done its work.
            LOG.warnf("metrics not written: %s", e.getClass().getName());
        }
    }

    /** initiate recorded a new check. */
    public void checkStarted() {
        count("ChecksStarted");
    }

    /** A check reached a final status ({@code PROCESSED}, {@code SESSION_EXPIRED}, {@code TOKEN_EXPIRED}, ...). */
    public void checkEnded(String status) {
        Batch batch = current.get();
        if (batch != null) {
            batch.group(List.of("status"), List.of(safe(status)), ROLLUP_STATUS).add("ChecksEnded", COUNT, 1, Kind.SUM);
        }
    }

    /** A check was replaced by its tombstone. */
    public void checkErased() {
        count("ChecksErased");
    }

    /**
     * One HTTP exchange with Jumio.
     *
     * @param operation the call, as the Jumio client names it ("token", "account create", ...)
     * @param result {@code 2xx}, {@code 4xx}, {@code 429}, {@code 5xx}, {@code timeout} or {@code network}
     */
    public void jumioCall(String operation, String result, long millis) {
        Batch batch = current.get();
        if (batch != null) {
            Group group = batch.group(List.of("operation", "result"),
                    List.of(safe(operation.replace(' ', '_')), safe(result)), ROLLUP_RESULT);
            group.add("JumioCalls", COUNT, 1, Kind.SUM);
            group.add("JumioLatency", MILLISECONDS, millis, Kind.EACH);
        }
    }

    /** The result class of an HTTP status, for {@link #jumioCall}. */
    public static String resultClass(int status) {
        if (status == 429) {
            return "429";
        }
        return status >= 200 && status < 300 ? "2xx" : status >= 400 && status < 500 ? "4xx" : "5xx";
    }

    /** A new OAuth2 access token came from Jumio's token endpoint. */
    public void tokenFetched() {
        count("TokenFetches");
    }

    /**
     * How a callback was answered: the intake's outcome ({@code RECORDED}, {@code ORPHAN_FOUND}, {@code IGNORED},
     * {@code UNKNOWN_WORKFLOW}, {@code NOT_RECORDED}, {@code REFUSED}), or a refusal before it
     * ({@link #callbackRefused}).
     */
    public void callbackAnswered(String outcome) {
        switch (outcome) {
            case "RECORDED", "ORPHAN_FOUND" -> count("CallbacksAccepted");
            case "IGNORED" -> count("CallbacksDuplicate");
            case "UNKNOWN_WORKFLOW" -> count("CallbacksUnknownWorkflow");
            case "NOT_RECORDED" -> count("CallbacksNotRecorded");
            default -> callbackRefused("WORKFLOW_MISMATCH");
        }
    }

    /**
     * A callback refused: {@code SOURCE_NOT_ALLOWED}, {@code KEY_MISSING_OR_WRONG}, {@code WORKFLOW_MISMATCH} (the
     * workflow is another check's), {@code BAD_REQUEST} (not Jumio's form).
     */
    public void callbackRefused(String reason) {
        Batch batch = current.get();
        if (batch != null) {
            batch.group(List.of("reason"), List.of(safe(reason)), ROLLUP_SERVICE).add("CallbacksRefused", COUNT, 1,
                    Kind.SUM);
        }
    }

    /** retrieve asked Jumio about a pending check (reconciliation). */
    public void reconciliationPoll() {
        count("ReconciliationPolls");
    }

    /** A callback revealed a workflow that an ambiguous account request left at Jumio. */
    public void orphanFound() {
        count("OrphansFound");
    }

    /** The erase sweep deleted an orphan at Jumio (or found it gone). */
    public void orphanDeleted() {
        count("OrphansDeleted");
    }

    /**
     * What a run of the erase sweep left: gauges, recorded by the sweep only.
     *
     * @param oldestPendingErasureSeconds the age of the oldest erasure still pending, 0 when none is
     */
    public void sweep(int erasuresFinished, int pendingErasures, long oldestPendingErasureSeconds,
            int pendingOrphans) {
        Batch batch = current.get();
        if (batch != null) {
            Group group = batch.base();
            group.add("ErasuresFinished", COUNT, erasuresFinished, Kind.SUM);
            group.add("PendingErasures", COUNT, pendingErasures, Kind.LAST);
            group.add("OldestPendingErasureAge", SECONDS, oldestPendingErasureSeconds, Kind.LAST);
            group.add("PendingOrphans", COUNT, pendingOrphans, Kind.LAST);
        }
    }

    /** A Step Functions task completion (SendTaskSuccess/SendTaskFailure) was sent, or failed. */
    public void taskCompletion(boolean sent) {
        count(sent ? "TaskCompletionsSent" : "TaskCompletionFailures");
    }

    private void count(String metric) {
        Batch batch = current.get();
        if (batch != null) {
            batch.base().add(metric, COUNT, 1, Kind.SUM);
        }
    }

    static String safe(String value) {
        return value != null && SAFE.matcher(value).matches() ? value : "OTHER";
    }

    /** Dimension sets beyond the full one: also by service alone, and by service and the named dimension. */
    private static final List<List<String>> ROLLUP_SERVICE = List.of(List.of("service"));
    private static final List<List<String>> ROLLUP_STATUS = List.of(List.of("service", "status"));
    private static final List<List<String>> ROLLUP_RESULT = List.of(List.of("service", "result"), List.of("service"));

    /** One invocation's metrics, grouped by their dimension values. */
    private static final class Batch {
        private final String function;
        private final Map<List<String>, Group> groups = new LinkedHashMap<>();

        Batch(String function) {
            this.function = function;
        }

        Group base() {
            return group(List.of(), List.of(), List.of());
        }

        Group group(List<String> names, List<String> values, List<List<String>> rollups) {
            List<String> key = new ArrayList<>(names);
            key.addAll(values);
            return groups.computeIfAbsent(key, k -> new Group(names, values, rollups));
        }

        List<String> lines(String namespace, String service, long timestamp) {
            List<String> lines = new ArrayList<>();
            for (Group group : groups.values()) {
                Map<String, String> dimensions = new LinkedHashMap<>();
                dimensions.put("service", service);
                dimensions.put("function", function);
                List<String> full = new ArrayList<>(List.of("service", "function"));
                for (int i = 0; i < group.names.size(); i++) {
                    dimensions.put(group.names.get(i), group.values.get(i));
                    full.add(group.names.get(i));
                }
                List<List<String>> sets = new ArrayList<>();
                sets.add(full);
                sets.addAll(group.rollups);
                List<Emf.Metric> metrics = new ArrayList<>();
                group.metrics.forEach((name, metric) -> metrics.add(metric));
                lines.addAll(Emf.documents(namespace, timestamp, dimensions, sets, metrics));
            }
            return lines;
        }
    }

    /** How a metric takes a second value in one invocation. */
    private enum Kind {
        /** Counts: one value, the sum. */
        SUM,
        /** Latencies: every value (the document holds them as an array). */
        EACH,
        /** Gauges: the last value. */
        LAST
    }

    /** Metrics that share dimension values. */
    private static final class Group {
        private final List<String> names;
        private final List<String> values;
        private final List<List<String>> rollups;
        private final Map<String, Emf.Metric> metrics = new LinkedHashMap<>();

        Group(List<String> names, List<String> values, List<List<String>> rollups) {
            this.names = names;
            this.values = values;
            this.rollups = rollups;
        }

        void add(String name, String unit, double value, Kind kind) {
            List<Double> all = metrics.computeIfAbsent(name, n -> new Emf.Metric(n, unit, new ArrayList<>())).values();
            if (all.isEmpty() || kind == Kind.EACH) {
                all.add(value);
            } else {
                all.set(0, kind == Kind.SUM ? all.get(0) + value : value);
            }
        }
    }
}
