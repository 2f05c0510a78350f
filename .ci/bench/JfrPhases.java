import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Benchmark only: summarises one JFR recording of a function process per phase of its life, so that a profile says
 * where init, the first invocation and warm invocations spend their CPU. Run as a single source file:
 *
 * <pre>
 * java JfrPhases.java recording.jfr init=STARTMS:ENDMS "first invocation"=STARTMS:ENDMS warm=STARTMS:ENDMS
 * </pre>
 *
 * (epoch milliseconds, as .ci/bench.py records them). Prints JSON: per phase, the execution samples by component, the
 * hottest methods, the classes loaded and the garbage collections.
 *
 * A sample's component: class loading and linking when any frame of its stack loads, defines or links a class (its
 * cost is paid wherever the class is first used); otherwise the library of the innermost frame outside the JDK (so a
 * HashMap lookup made by the AWS SDK counts as the SDK's); "JDK" when no frame is outside the JDK.
 */
public class JfrPhases {
    private static final String[][] COMPONENTS = {
            { "software.amazon.awssdk.", "AWS SDK" },
            { "io.vertx.", "Vert.x / Netty" },
            { "io.netty.", "Vert.x / Netty" },
            { "org.jboss.resteasy.reactive.", "REST client" },
            { "io.quarkus.rest.client.", "REST client" },
            { "io.quarkus.restclient.", "REST client" },
            { "com.fasterxml.jackson.", "Jackson" },
            { "io.quarkus.arc.", "ArC (CDI)" },
            { "io.smallrye.config.", "configuration" },
            { "io.quarkus.runtime.configuration.", "configuration" },
            { "io.quarkus.amazon.lambda.", "Lambda glue (RIC, quarkus-amazon-lambda)" },
            { "com.amazonaws.services.lambda.", "Lambda glue (RIC, quarkus-amazon-lambda)" },
            { "org.jboss.logmanager.", "logging" },
            { "org.jboss.logging.", "logging" },
            { "io.quarkus.logging.", "logging" },
            { "io.smallrye.faulttolerance.", "SmallRye Fault Tolerance" },
            { "io.smallrye.mutiny.", "Mutiny" },
            { "org.joda.", "Joda-Time" },
            { "io.jumiorisk.", "our code" },
            { "io.quarkus.", "Quarkus core" },
            { "io.smallrye.", "SmallRye (other)" },
    };

    record Phase(String name, long from, long to) {
    }

    static final class Tally {
        final Map<String, Integer> components = new HashMap<>();
        final Map<String, Integer> methods = new HashMap<>();
        int samples;
        int classes;
        int gcs;
        double gcMs;
    }

    public static void main(String[] args) throws Exception {
        List<Phase> phases = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].lastIndexOf('=');
            String[] range = args[i].substring(eq + 1).split(":");
            phases.add(new Phase(args[i].substring(0, eq), Long.parseLong(range[0]), Long.parseLong(range[1])));
        }
        Map<String, Tally> tallies = new LinkedHashMap<>();
        phases.forEach(p -> tallies.put(p.name, new Tally()));
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                long t = e.getStartTime().toEpochMilli();
                Phase phase = null;
                for (Phase p : phases) {
                    if (t >= p.from && t < p.to) {
                        phase = p;
                        break;
                    }
                }
                if (phase == null) {
                    continue;
                }
                Tally tally = tallies.get(phase.name);
                switch (e.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> sample(e, tally, false);
                    case "jdk.NativeMethodSample" -> sample(e, tally, true);
                    case "jdk.ClassLoad" -> tally.classes++;
                    case "jdk.GarbageCollection" -> {
                        tally.gcs++;
                        tally.gcMs += e.getDuration().toNanos() / 1e6;
                    }
                    default -> {
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
            Tally t = entry.getValue();
            out.append(sep).append(quote(entry.getKey())).append(": {\"samples\": ").append(t.samples)
                    .append(", \"classesLoaded\": ").append(t.classes).append(", \"gc\": {\"count\": ").append(t.gcs)
                    .append(", \"ms\": ").append(String.format(java.util.Locale.ROOT, "%.1f", t.gcMs))
                    .append("}, \"components\": ").append(json(t.components, 100)).append(", \"top\": ")
                    .append(json(t.methods, 12)).append('}');
            sep = ", ";
        }
        System.out.println(out.append('}'));
    }

    /**
     * A thread in a native method is mostly waiting (a selector, a socket read, the RIC's JNI call for the next event):
     * such samples count only when the native method defines or links a class, which is CPU work done in the VM.
     */
    private static void sample(RecordedEvent e, Tally tally, boolean nativeMethod) {
        if (e.getStackTrace() == null) {
            return;
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        String component = null;
        String method = null;
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            String name = f.getMethod().getName();
            if (isClassLoading(type, name)) {
                component = "class loading and linking";
            }
            if (method == null && !isJdk(type)) {
                method = type + "." + name;
            }
        }
        if (component == null) {
            if (nativeMethod) {
                return;
            }
            component = method == null ? "JDK" : componentOf(method);
        }
        tally.samples++;
        tally.components.merge(component, 1, Integer::sum);
        String leaf = method != null ? method
                : frames.isEmpty() ? "?"
                        : frames.get(0).getMethod().getType().getName() + "." + frames.get(0).getMethod().getName();
        tally.methods.merge(leaf, 1, Integer::sum);
    }

    private static boolean isClassLoading(String type, String name) {
        return type.startsWith("jdk.internal.loader.") || type.equals("java.net.URLClassLoader")
                || (type.equals("java.lang.ClassLoader")
                        && (name.startsWith("loadClass") || name.startsWith("defineClass") || name.equals("findClass")))
                || (type.equals("java.lang.Class") && name.startsWith("forName"))
                || type.equals("java.lang.invoke.MethodHandleNatives") && name.startsWith("link")
                || type.equals("java.lang.invoke.InnerClassLambdaMetafactory")
                || type.startsWith("com.oracle.svm.core.hub.") && name.startsWith("initialize")
                || type.equals("com.oracle.svm.core.classinitialization.ClassInitializationInfo");
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
                || type.startsWith("javax.") || type.startsWith("com.sun.") || type.startsWith("com.oracle.svm.");
    }

    private static String componentOf(String method) {
        for (String[] c : COMPONENTS) {
            if (method.startsWith(c[0])) {
                return c[1];
            }
        }
        String[] parts = method.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] : method;
    }

    private static String json(Map<String, Integer> counts, int limit) {
        StringBuilder sb = new StringBuilder("{");
        String sep = "";
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> b.getValue() - a.getValue());
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(limit, sorted.size()))) {
            sb.append(sep).append(quote(e.getKey())).append(": ").append(e.getValue());
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
