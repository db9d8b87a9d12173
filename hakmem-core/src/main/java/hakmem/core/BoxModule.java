package hakmem.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import hakmem.api.spi.Clock;
import hakmem.api.spi.OptionSource;
import hakmem.api.spi.OsBox;
import hakmem.api.spi.StatsSink;
import hakmem.core.option.SystemOptionSource;
import hakmem.core.os.NativeOsBox;
import hakmem.core.os.SystemClock;
import hakmem.core.stats.StderrStatsSink;

/**
 * The core's box bindings: the env gate's option source, the OS primitive, the clock, the stats sink and the logger of open's
 * warnings. Any of them can be
 * replaced by an override module passed to {@link hakmem.api.spi.AllocatorProvider#open}. Side-effect free.
 */
final class BoxModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(OptionSource.class).to(SystemOptionSource.class).in(Singleton.class);
        bind(OsBox.class).to(NativeOsBox.class).in(Singleton.class);
        bind(StatsSink.class).to(StderrStatsSink.class).in(Singleton.class);
        bind(Clock.class).to(SystemClock.class).in(Singleton.class);
    }

    /** Where open's warnings go (misspelled option names, ignored bad values): System.Logger "hakmem". */
    @Provides
    @Singleton
    System.Logger logger() {
        return System.getLogger("hakmem");
    }
}
