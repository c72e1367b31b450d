package dev.streamsight.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ModelPackageArchitectureTest {
    @Test
    void modelStageDoesNotUseOnnxRuntime() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.streamsight.model");
        noClasses().should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..").check(classes);
    }
}
