/**
 * hakmem-j's public surface.
 *
 * <ul>
 *   <li>{@code hakmem.api}: what allocator users call ({@link hakmem.api.Hakmem}, {@link hakmem.api.Allocator},
 *       the stats records). It names no Guice type.</li>
 *   <li>{@code hakmem.api.spi}: what box and policy authors implement. It names
 *       {@code com.google.inject.Module}, because Guice wiring is how policy jars plug in.</li>
 * </ul>
 * The implementation lives in {@code hakmem.core} and is found with {@link java.util.ServiceLoader}.
 */
module hakmem.api {
    requires transitive com.google.guice;

    exports hakmem.api;
    exports hakmem.api.spi;

    uses hakmem.api.spi.AllocatorProvider;
}
