/**
 * The service-provider interface: what box and policy authors implement.
 *
 * <p>hakmem-j is built from boxes, each an interface here with a Guice binding in the module that implements
 * it: the option source (env gate, {@link hakmem.api.spi.OptionSource}), the release policy
 * ({@link hakmem.api.spi.ReleasePolicy}, contributed by a {@link hakmem.api.spi.PolicyPlugin}), the OS primitive
 * under the madvise guard ({@link hakmem.api.spi.OsBox}) and the stats sink ({@link hakmem.api.spi.StatsSink}).
 * Any of them can be replaced by binding another implementation (see
 * {@link hakmem.api.spi.AllocatorProvider#open}), without changing the core.
 *
 * <p>Policies act on slow paths only (slab refill, slab or superslab empty, ticker); the allocation hot path
 * never calls them.
 */
package hakmem.api.spi;
