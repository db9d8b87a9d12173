package hakmem.bench.subject;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finding the native peers' libraries and binding malloc/free with {@code critical(false)} downcalls. */
public final class NativeLibs {
    private NativeLibs() {
    }

    /** The directories searched (in order) when checking whether a library is installed, without loading it. */
    static List<String> searchPath() {
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(List.of("/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib"));
        return dirs;
    }

    /** Where a library file is installed, found without loading it (no restricted method). */
    public static Optional<String> locate(String soname) {
        for (String d : searchPath()) {
            File f = new File(d, soname);
            if (f.isFile()) {
                return Optional.of(f.getPath());
            }
        }
        return Optional.empty();
    }

    /** {@code malloc} and {@code free} of a library ({@code null}: the C library the JVM is linked with). */
    static MethodHandle[] bind(String soname) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup;
        try {
            lookup = soname == null ? linker.defaultLookup() : SymbolLookup.libraryLookup(soname, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot load " + soname + " (" + e.getMessage() + "); if it is installed and "
                    + "uses static TLS (Debian's jemalloc does), start the JVM with "
                    + "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536 (compare does this for its runs)", e);
        }
        Linker.Option critical = Linker.Option.critical(false);
        MethodHandle malloc = linker.downcallHandle(
                lookup.find("malloc").orElseThrow(() -> new IllegalStateException("no malloc in " + soname)),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), critical);
        MethodHandle free = linker.downcallHandle(
                lookup.find("free").orElseThrow(() -> new IllegalStateException("no free in " + soname)),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG), critical);
        return new MethodHandle[] {malloc, free};
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
