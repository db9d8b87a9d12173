package hakmem.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout of module {@code hakmem.testkit}: tests run inside it, it exports its one package, needs only the API. */
class ModuleLayoutTest {

    @Test
    void testsRunInsideTheNamedModule() {
        Module module = getClass().getModule();
        assertThat(module.isNamed()).as("tests must run on the module path, inside the module").isTrue();
        assertThat(module.getName()).isEqualTo("hakmem.testkit");
        assertThat(module.getDescriptor().isAutomatic()).as("declared by a module-info.java").isFalse();
    }

    @Test
    void exportsExactlyTheTestKitPackage() {
        List<String> exported = getClass().getModule().getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .sorted()
                .toList();
        assertThat(exported).containsExactly("hakmem.testkit");
    }

    @Test
    void requiresOnlyTheApiOfHakmemAndNoTestFramework() {
        List<String> requires = getClass().getModule().getDescriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.startsWith("java."))
                .sorted()
                .toList();
        assertThat(requires).containsExactly("hakmem.api");
    }
}
