package hakmem.policy.speed;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.ReleasePolicy;

/** Binds the {@code speed} policy and its typed configuration. Side-effect free. */
final class SpeedModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(ReleasePolicy.class).to(SpeedPolicy.class);
    }

    @Provides
    @Singleton
    SpeedConfig config(OptionValues options) {
        return SpeedConfig.from(options);
    }
}
