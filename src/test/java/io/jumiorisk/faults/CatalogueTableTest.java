package io.jumiorisk.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The Markdown catalogue and the scenarios in code must agree. Run with {@code -Dfaults.write-catalogue=true} to
 * rewrite the table from the code after changing a scenario.
 */
class CatalogueTableTest {
    static final Path TABLE = Path.of("src/test/resources/faults/catalogue.md");

    @Test
    void theTableMatchesTheCode() throws Exception {
        String expected = Catalogue.markdown();
        if (Boolean.getBoolean("faults.write-catalogue")) {
            Files.writeString(TABLE, expected);
        }
        assertThat(Files.readString(TABLE)).as("catalogue.md is out of date; rerun with -Dfaults.write-catalogue=true")
                .isEqualTo(expected);
    }

    @Test
    void idsAreUniqueAndTheCatalogueIsBigEnough() {
        Set<String> ids = new HashSet<>();
        Catalogue.all().forEach(s -> assertThat(ids.add(s.id())).as("duplicate id " + s.id()).isTrue());
        Map<Category, Long> counts = Catalogue.all().stream()
                .collect(Collectors.groupingBy(Scenario::category, Collectors.counting()));
        assertThat(counts.get(Category.FAULT)).isGreaterThanOrEqualTo(30);
        assertThat(counts.get(Category.BAD_INPUT)).isGreaterThanOrEqualTo(40);
        assertThat(counts.get(Category.FORGED_CALLBACK)).isGreaterThanOrEqualTo(10);
        assertThat(Catalogue.all().stream().map(Scenario::displayName)
                .collect(Collectors.toMap(Function.identity(), x -> 1)))
                .hasSize(Catalogue.all().size());
    }
}
