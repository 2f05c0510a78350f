package io.jumiorisk.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per endpoint: how many requests came (for CALLBACK, delivery attempts), what they were, and the misbehaviour queued
 * for the next ones (failures, delays, forced 401s, answers after processing).
 */
final class Traffic {

    /** An injected error answer, with a Retry-After header when {@code retryAfterSeconds} is not null. */
    record Failure(int status, Integer retryAfterSeconds) {
    }

    private final Map<Endpoint, AtomicInteger> counts = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, List<RecordedRequest>> recorded = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Injections<Failure>> failures = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Injections<Long>> delays = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Injections<Boolean>> unauthorized = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Injections<AfterProcessing>> afterProcessing = new EnumMap<>(Endpoint.class);
    private final List<AmbiguousAnswer> ambiguousAnswers = Collections.synchronizedList(new ArrayList<>());

    Traffic() {
        for (Endpoint e : Endpoint.values()) {
            counts.put(e, new AtomicInteger());
            recorded.put(e, Collections.synchronizedList(new ArrayList<>()));
            failures.put(e, new Injections<>());
            delays.put(e, new Injections<>());
            unauthorized.put(e, new Injections<>());
            afterProcessing.put(e, new Injections<>());
        }
    }

    /** Counts and records one request (or callback sent); {@code path} is the full URL for callbacks. */
    void received(Endpoint ep, String method, String path, Map<String, List<String>> headers, byte[] body) {
        counts.get(ep).incrementAndGet();
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, String.join(",", v)));
        recorded.get(ep).add(new RecordedRequest(ep, method, path, Collections.unmodifiableMap(h),
                new String(body, StandardCharsets.UTF_8), Instant.now()));
    }

    int count(Endpoint e) {
        return counts.get(e).get();
    }

    Map<Endpoint, Integer> counts() {
        Map<Endpoint, Integer> m = new EnumMap<>(Endpoint.class);
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    List<RecordedRequest> requests(Endpoint e) {
        List<RecordedRequest> l = recorded.get(e);
        synchronized (l) {
            return List.copyOf(l);
        }
    }

    void resetCounts() {
        for (Endpoint e : Endpoint.values()) {
            counts.get(e).set(0);
            recorded.get(e).clear();
        }
        ambiguousAnswers.clear();
    }

    /** Records an ambiguous answer given to a processed account request. */
    void ambiguousAnswerGiven(AmbiguousAnswer a) {
        ambiguousAnswers.add(a);
    }

    List<AmbiguousAnswer> ambiguousAnswers() {
        synchronized (ambiguousAnswers) {
            return List.copyOf(ambiguousAnswers);
        }
    }

    // ------------------------------------------------------------------------------------------------ injections

    void failNext(Endpoint e, Failure f, int times) {
        failures.get(e).add(f, times);
    }

    void delayNext(Endpoint e, long millis, int times) {
        delays.get(e).add(millis, times);
    }

    void unauthorizedNext(Endpoint e, int times) {
        unauthorized.get(e).add(Boolean.TRUE, times);
    }

    void afterProcessingNext(Endpoint e, AfterProcessing a, int times) {
        afterProcessing.get(e).add(a, times);
    }

    /** The failure due for this request, or null. */
    Failure takeFailure(Endpoint e) {
        return failures.get(e).take();
    }

    /** The delay due for this request in milliseconds, 0 when none. */
    long takeDelay(Endpoint e) {
        Long delay = delays.get(e).take();
        return delay == null ? 0 : delay;
    }

    /** Whether this request gets 401 whatever its token. */
    boolean takeUnauthorized(Endpoint e) {
        return unauthorized.get(e).take() != null;
    }

    /** What replaces the answer to this processed request, or null. */
    AfterProcessing takeAfterProcessing(Endpoint e) {
        return afterProcessing.get(e).take();
    }

    void clearFaults() {
        for (Endpoint e : Endpoint.values()) {
            failures.get(e).clear();
            delays.get(e).clear();
            unauthorized.get(e).clear();
            afterProcessing.get(e).clear();
        }
    }

    /** A queue of values, each for the next {@code times} requests. */
    private static final class Injections<T> {
        private static final class Entry<T> {
            final T value;
            int remaining;

            Entry(T value, int remaining) {
                this.value = value;
                this.remaining = remaining;
            }
        }

        private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();

        synchronized void add(T value, int times) {
            if (times > 0) {
                queue.add(new Entry<>(value, times));
            }
        }

        synchronized T take() {
            Entry<T> e = queue.peek();
            if (e == null) {
                return null;
            }
            if (--e.remaining <= 0) {
                queue.poll();
            }
            return e.value;
        }

        synchronized void clear() {
            queue.clear();
        }
    }
}
