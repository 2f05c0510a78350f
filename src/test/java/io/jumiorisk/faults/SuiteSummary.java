package io.jumiorisk.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Tallies the fault and abuse suite's scenarios (tests named {@code [CATEGORY] id ...}) and prints, when the test run
 * ends, {@code Fault and abuse suite: N passed, N failed} with the counts per category. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}; prints nothing when no scenario ran.
 */
public class SuiteSummary implements TestExecutionListener {
    private static final Pattern NAME = Pattern.compile("^\\[(FAULT|BAD_INPUT|FORGED_CALLBACK)] ");

    private final Map<Category, int[]> counts = new EnumMap<>(Category.class);

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        Category category = category(test);
        if (category != null) {
            counts.computeIfAbsent(category,
                    c -> new int[2])[result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? 0 : 1]++;
        }
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier test, String reason) {
        Category category = category(test);
        if (category != null) {
            counts.computeIfAbsent(category, c -> new int[2])[1]++;
        }
    }

    private static Category category(TestIdentifier test) {
        if (!test.isTest()) {
            return null;
        }
        Matcher m = NAME.matcher(test.getDisplayName());
        return m.find() ? Category.valueOf(m.group(1)) : null;
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (counts.isEmpty()) {
            return;
        }
        System.out.println(line());
        System.out.flush();
    }

    synchronized String line() {
        int passed = 0;
        int failed = 0;
        StringBuilder per = new StringBuilder();
        for (Category c : Category.values()) {
            int[] n = counts.getOrDefault(c, new int[2]);
            passed += n[0];
            failed += n[1];
            per.append(per.length() == 0 ? "" : ", ").append(c).append(": ").append(n[0]).append(" passed, ")
                    .append(n[1]).append(" failed");
        }
        return "Fault and abuse suite: " + passed + " passed, " + failed + " failed (" + per + ")";
    }
}
