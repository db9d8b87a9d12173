package hakmem.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An unknown policy id says what to do: if a module on the module path requires {@code hakmem.api} but provides
 * no {@code PolicyPlugin} (the {@code provides} line was forgotten), it names that module; otherwise it says how
 * to put the jar on the module path ({@code ./hakmem --plugin-path}).
 */
class MissingProviderHintTest {

    @Test
    void anUnknownIdSaysHowToAddThePolicysJar() {
        assertThatThrownBy(() -> Allocators.open("hyst", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown policy 'hyst'")
                .hasMessageContaining("./hakmem --plugin-path path/to/policy.jar")
                .hasMessageContaining("HAKMEM_PLUGIN_PATH");
    }

    @Test
    void aModuleThatRequiresTheApiButProvidesNoPluginIsNamed() {
        ModuleLayer layer = layerWith(
                ModuleDescriptor.newModule("hakmem.policy.hyst").requires("hakmem.api").build(),
                ModuleDescriptor.newModule("hakmem.policy.good").requires("hakmem.api")
                        .provides("hakmem.api.spi.PolicyPlugin", List.of("hakmem.policy.good.GoodPlugin")).build(),
                ModuleDescriptor.newModule("my.app").requires("hakmem.api")
                        .uses("hakmem.api.spi.PolicyPlugin").build(),
                ModuleDescriptor.newModule("unrelated").build());
        List<String> found = PolicyRegistry.withoutProvider(layer);
        assertThat(found).anySatisfy(m -> assertThat(m).startsWith("hakmem.policy.hyst (").contains("/tmp/hyst.jar"))
                .noneMatch(m -> m.startsWith("hakmem.policy.good") || m.startsWith("my.app") || m.startsWith("unrelated"))
                .as("the boot layer's own modules provide or use the SPI").noneMatch(m -> m.startsWith("hakmem.core"));

        String hint = PolicyRegistry.hint(found);
        assertThat(hint).contains("providing no hakmem.api.spi.PolicyPlugin: hakmem.policy.hyst (/tmp/hyst.jar)")
                .contains("add `provides hakmem.api.spi.PolicyPlugin with <its PolicyPlugin class>;` to its module-info.java")
                .doesNotContain("--plugin-path");
    }

    /** A layer over the boot layer holding modules with these descriptors and no classes. */
    static ModuleLayer layerWith(ModuleDescriptor... descriptors) {
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return findAll().stream().filter(r -> r.descriptor().name().equals(name)).findFirst();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Stream.of(descriptors).map(MissingProviderHintTest::reference).collect(java.util.stream.Collectors.toSet());
            }
        };
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(),
                Stream.of(descriptors).map(ModuleDescriptor::name).toList());
        return boot.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
    }

    static ModuleReference reference(ModuleDescriptor d) {
        return new ModuleReference(d, URI.create("file:///tmp/" + d.name().substring(d.name().lastIndexOf('.') + 1) + ".jar")) {
            @Override
            public ModuleReader open() {
                return new ModuleReader() {
                    @Override
                    public Optional<URI> find(String name) {
                        return Optional.empty();
                    }

                    @Override
                    public Stream<String> list() {
                        return Stream.empty();
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }
}
