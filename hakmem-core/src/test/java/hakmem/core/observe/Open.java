package hakmem.core.observe;

import com.google.inject.Module;
import hakmem.api.Allocator;
import hakmem.api.spi.AllocatorProvider;
import hakmem.api.spi.OptionSource;
import hakmem.core.alloc.HakmemAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Opening allocators through the provider for the observability tests, isolated from -Dhakmem.* and HAKMEM_*. */
final class Open {

    static final long MIB = 1L << 20;

    private static final OptionSource EMPTY = new OptionSource() {
        @Override
        public Optional<String> property(String key) {
            return Optional.empty();
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.empty();
        }
    };

    private Open() {
    }

    static HakmemAllocator open(String policy, Map<String, String> options, Module... overrides) {
        List<Module> all = new ArrayList<>();
        all.add(binder -> binder.bind(OptionSource.class).toInstance(EMPTY));
        all.addAll(List.of(overrides));
        Allocator a = AllocatorProvider.load().open(policy, options, all);
        return (HakmemAllocator) a;
    }
}
