package dev.streamsight.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The stage boundaries of the inference core: only {@code inference} touches ONNX Runtime and only
 * {@code fetch} the HTTP client, stages lower in the data flow never depend on later ones, and the
 * core has no Kafka dependency.
 */
class StageDependencyTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.streamsight");

    @Test
    void onlyInferenceTouchesOnnxRuntime() {
        noClasses().that().resideOutsideOfPackage("dev.streamsight.inference..")
                .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .check(CORE);
    }

    @Test
    void imageDecodingAndPreprocessingKnowNothingOfModelsOrInference() {
        noClasses().that().resideInAPackage("dev.streamsight.image..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.streamsight.model..",
                        "dev.streamsight.inference..", "dev.streamsight.postprocess..", "dev.streamsight.fetch..")
                .check(CORE);
    }

    @Test
    void fetchingKnowsNothingOfLaterStages() {
        noClasses().that().resideInAPackage("dev.streamsight.fetch..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.streamsight.image..",
                        "dev.streamsight.model..", "dev.streamsight.inference..", "dev.streamsight.postprocess..")
                .check(CORE);
    }

    @Test
    void onlyFetchingTouchesTheHttpClient() {
        noClasses().that().resideOutsideOfPackage("dev.streamsight.fetch..")
                .should().dependOnClassesThat().resideInAPackage("okhttp3..")
                .check(CORE);
    }

    @Test
    void postprocessDoesNotDependOnInference() {
        noClasses().that().resideInAPackage("dev.streamsight.postprocess..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.streamsight.inference..")
                .check(CORE);
    }

    @Test
    void theCoreHasNoKafkaDependency() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
                .check(CORE);
    }
}
