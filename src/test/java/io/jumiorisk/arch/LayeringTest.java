package io.jumiorisk.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The path of one check reads top to bottom: Lambda adapters, then the callback intake, then the check flow, then the
 * adapters to DynamoDB, Step Functions and Jumio, then the model, errors and AWS plumbing. No class imports from a
 * layer above its own, and the flow never sees an AWS SDK type: the adapters translate.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/io/jumiorisk");
    private static final Pattern IMPORT = Pattern
            .compile("^import (static )?(io\\.jumiorisk\\.[\\w.]+|software\\.amazon"
                    + "\\.awssdk\\.[\\w.]+);", Pattern.MULTILINE);
    /** Higher numbers are higher layers; a package may import only from lower numbers. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("lambda", 6),
            Map.entry("callback", 5),
            Map.entry("check", 4),
            Map.entry("store", 3),
            Map.entry("sfn", 3),
            Map.entry("keys", 3),
            Map.entry("jumio", 2),
            Map.entry("aws", 1),
            Map.entry("check.model", 1),
            Map.entry("errors", 1),
            // Metrics and tracing: every layer reports to them, and they know none of the layers.
            Map.entry("ops", 0),
            Map.entry("", 0));

    @Test
    void noImportRunsUpwards() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = packageOf(SOURCES.relativize(file.getParent()).toString());
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                if (!m.group(2).startsWith("io.jumiorisk.")) {
                    continue;
                }
                String target = packageOf(m.group(2).substring("io.jumiorisk.".length()));
                if (!target.equals(pkg) && layer(target) >= layer(pkg)) {
                    violations.add(SOURCES.relativize(file) + " imports " + m.group(2));
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theFlowAndTheHandlersKnowNoAwsSdkType() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = packageOf(SOURCES.relativize(file.getParent()).toString());
            if (!List.of("check", "check.model", "callback", "lambda").contains(pkg)) {
                continue;
            }
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                if (m.group(2).startsWith("software.amazon.awssdk.")) {
                    violations.add(SOURCES.relativize(file) + " imports " + m.group(2));
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        for (Path file : sources()) {
            assertThat(LAYERS).containsKey(packageOf(SOURCES.relativize(file.getParent()).toString()));
        }
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    /** {@code check/model} or {@code check.model.Check} to {@code check.model}; a class name to its package. */
    private static String packageOf(String name) {
        String dotted = name.replace('/', '.').replace('\\', '.');
        String[] parts = dotted.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty() || Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    private static int layer(String pkg) {
        Integer layer = LAYERS.get(pkg);
        if (layer == null) {
            throw new AssertionError("No layer for package io.jumiorisk." + pkg);
        }
        return layer;
    }
}
