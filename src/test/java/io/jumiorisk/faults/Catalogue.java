package io.jumiorisk.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The suite's scenarios, in code. {@code src/test/resources/faults/catalogue.md} is the same list for people;
 * {@link CatalogueTableTest} keeps the two in step.
 */
public final class Catalogue {
    private static List<Scenario> all;

    private Catalogue() {
    }

    public static synchronized List<Scenario> all() {
        if (all == null) {
            List<Scenario> s = new ArrayList<>();
            s.addAll(FaultScenarios.all());
            s.addAll(BadInputs.all());
            s.addAll(ForgedCallbacks.all());
            all = List.copyOf(s);
        }
        return all;
    }

    /** The catalogue as the Markdown table kept in the repository. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Fault and abuse catalogue\n\n");
        b.append("One row per scenario of `src/test/java/io/jumiorisk/faults` (generated from `Catalogue`; "
                + "`CatalogueTableTest` fails when the two differ). Every scenario also checks the invariants of "
                + "`Invariants`: no lost check, no duplicate Jumio transaction, every check final or retryable, and no "
                + "personal data or secret in DynamoDB or the log.\n\n");
        b.append("| id | category | handler | injected fault or input | expected outcome |\n");
        b.append("|---|---|---|---|---|\n");
        for (Scenario s : all()) {
            b.append("| ").append(s.id()).append(" | ").append(s.category()).append(" | ")
                    .append(s.handler().name().toLowerCase()).append(" | ").append(cell(s.injected())).append(" | ")
                    .append(cell(s.expected())).append(" |\n");
        }
        return b.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
