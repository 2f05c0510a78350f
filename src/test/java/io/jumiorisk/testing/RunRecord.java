package io.jumiorisk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What this test JVM handed to the product or let it meet, kept for the checks that run at the end of the suite.
 * Quarkus loads the test classes of each profile apart, so every profile has its own {@link TestServices} (its own
 * moto server, simulator and secrets): a file per JVM is what they all share. Test values only, under target/.
 */
public final class RunRecord {
    public static final String DYNAMODB_ENDPOINTS = "dynamodb-endpoints";
    public static final String SECRETS = "secrets";
    public static final String CALLBACK_SECRETS = "callback-secrets";
    public static final String ISSUED_TOKENS = "issued-tokens";
    public static final String TASK_TOKENS = "task-tokens";

    private static final Path DIR = Path.of("target", "run-record", Long.toString(ProcessHandle.current().pid()));

    private RunRecord() {
    }

    public static synchronized void add(String kind, String value) {
        if (value == null || value.isBlank() || value.contains("\n")) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(kind), value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized Set<String> all(String kind) {
        Path file = DIR.resolve(kind);
        try {
            return Files.exists(file)
                    ? new LinkedHashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8))
                    : Set.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
