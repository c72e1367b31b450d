package dev.streamsight.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The model comparison stands on its own: no Kafka, no Avro and no command line, so that the
 * {@code compare} command, a replay from a topic and a shadow model can all feed it their results.
 */
class CompareDependencyTest {
    private static final JavaClasses COMPARE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.streamsight.compare");

    @Test
    void theComparisonDependsOnNeitherKafkaNorAvroNorTheCommandLine() {
        noClasses().that().resideInAPackage("dev.streamsight.compare..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..",
                        "dev.streamsight.cli..", "dev.streamsight.topology..", "dev.streamsight.serde..")
                .check(COMPARE);
    }
}
