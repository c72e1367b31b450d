package dev.streamsight.postprocess;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Only the inference package touches ONNX Runtime; the postprocess production code must not. */
class PostprocessArchitectureTest {

    @Test
    void postprocessDoesNotDependOnOnnxRuntime() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.streamsight.postprocess");
        noClasses().that().resideInAPackage("dev.streamsight.postprocess..")
                .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .check(classes);
    }
}
