package hakmem.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The layout of module {@code hakmem.api}: tests run inside the named module, it exports exactly the user API
 * and the SPI, and the user API ({@code hakmem.api}) names no Guice type, so that users need not know Guice.
 */
class ModuleLayoutTest {

    private static final String GUICE_PREFIX = "com.google.inject.";

    @Test
    void testsRunInsideTheNamedModule() {
        Module module = getClass().getModule();
        assertThat(module.isNamed()).as("tests must run on the module path, inside the module").isTrue();
        assertThat(module.getName()).isEqualTo("hakmem.api");
        assertThat(module.getDescriptor().isAutomatic()).as("declared by a module-info.java").isFalse();
    }

    @Test
    void exportsExactlyTheApiAndTheSpi() {
        ModuleDescriptor descriptor = getClass().getModule().getDescriptor();
        Set<String> exported = descriptor.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(exported).containsExactly("hakmem.api", "hakmem.api.spi");
    }

    @Test
    void userApiNamesNoGuiceType() throws Exception {
        List<Class<?>> types = publicTypesOfPackage("hakmem.api");
        assertThat(types).as("public types found in package hakmem.api")
                .contains(Hakmem.class, Allocator.class, AllocatorStats.class, AllocatorStats.Count.class);

        List<String> leaks = new ArrayList<>();
        for (Class<?> type : types) {
            leaks.addAll(guiceMentions(type));
        }
        assertThat(leaks).as("public signatures in hakmem.api that name a Guice type").isEmpty();
    }

    /** The detector itself must see Guice where it is: the SPI's PolicyPlugin.module() returns a Guice Module. */
    @Test
    void detectorFindsGuiceInTheSpi() throws Exception {
        Class<?> plugin = Class.forName("hakmem.api.spi.PolicyPlugin");
        assertThat(guiceMentions(plugin)).anySatisfy(m -> assertThat(m).contains("module()", "com.google.inject.Module"));
    }

    /** Every public type (top-level or nested in a public type) of {@code pkg}, read from the main classes only. */
    private List<Class<?>> publicTypesOfPackage(String pkg) throws IOException, ClassNotFoundException {
        Module module = getClass().getModule();
        ResolvedModule resolved = module.getLayer().configuration().findModule(module.getName()).orElseThrow();
        Path location = Path.of(resolved.reference().location().orElseThrow());
        // a finder on the module's own location sees its main classes, not the test classes patched into it
        ModuleReference main = ModuleFinder.of(location).find(module.getName()).orElseThrow();
        String dir = pkg.replace('.', '/') + "/";
        List<String> names;
        try (ModuleReader reader = main.open()) {
            names = reader.list()
                    .filter(n -> n.startsWith(dir) && n.endsWith(".class") && n.indexOf('/', dir.length()) < 0)
                    .filter(n -> !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            if (isVisible(c)) {
                types.add(c);
            }
        }
        return types;
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    /** Where a public or protected signature of {@code type} (its own or inherited) names a Guice type. */
    private static List<String> guiceMentions(Class<?> type) {
        List<String> found = new ArrayList<>();
        check(type.getName() + " (supertypes)", found, type.getGenericSuperclass());
        check(type.getName() + " (supertypes)", found, type.getGenericInterfaces());
        check(type.getName() + " (type parameters)", found, type.getTypeParameters());
        checkAnnotations(type.getName(), found, type);

        Set<Executable> executables = new LinkedHashSet<>();
        executables.addAll(List.of(type.getMethods()));
        executables.addAll(List.of(type.getConstructors()));
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isProtected(m.getModifiers())) {
                executables.add(m);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (Modifier.isProtected(c.getModifiers())) {
                executables.add(c);
            }
        }
        for (Executable e : executables) {
            String where = type.getName() + "." + (e instanceof Constructor<?> ? "<init>" : e.getName()) + "()";
            if (e instanceof Method m) {
                check(where, found, m.getGenericReturnType());
            }
            check(where, found, e.getGenericParameterTypes());
            check(where, found, e.getGenericExceptionTypes());
            check(where, found, e.getTypeParameters());
            checkAnnotations(where, found, e);
        }

        Set<Field> fields = new LinkedHashSet<>(List.of(type.getFields()));
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isProtected(f.getModifiers())) {
                fields.add(f);
            }
        }
        for (Field f : fields) {
            check(type.getName() + "." + f.getName(), found, f.getGenericType());
            checkAnnotations(type.getName() + "." + f.getName(), found, f);
        }
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                check(type.getName() + "." + rc.getName(), found, rc.getGenericType());
            }
        }
        return found;
    }

    private static void checkAnnotations(String where, List<String> found, AnnotatedElement element) {
        for (var a : element.getAnnotations()) {
            check(where + " @annotation", found, a.annotationType());
        }
    }

    private static void check(String where, List<String> found, Type... types) {
        for (Type t : types) {
            Set<String> names = new TreeSet<>();
            collect(t, names, new HashSet<>());
            for (String n : names) {
                if (n.startsWith(GUICE_PREFIX)) {
                    found.add(where + " names " + n);
                }
            }
        }
    }

    private static void collect(Type t, Set<String> names, Set<Type> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        switch (t) {
            case Class<?> c when c.isArray() -> collect(c.getComponentType(), names, seen);
            case Class<?> c -> names.add(c.getName());
            case ParameterizedType p -> {
                collect(p.getRawType(), names, seen);
                collect(p.getOwnerType(), names, seen);
                for (Type a : p.getActualTypeArguments()) {
                    collect(a, names, seen);
                }
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    collect(b, names, seen);
                }
                for (Type b : w.getLowerBounds()) {
                    collect(b, names, seen);
                }
            }
            case GenericArrayType g -> collect(g.getGenericComponentType(), names, seen);
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) {
                    collect(b, names, seen);
                }
            }
            default -> throw new AssertionError("unexpected java.lang.reflect.Type: " + t);
        }
    }
}
