package hakmem.policy.lean;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.ReleasePolicy;

/** Binds the {@code balanced} policy: the lean policy with decommit off. Side-effect free. */
final class BalancedModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(ReleasePolicy.class).to(LeanPolicy.class);
    }

    @Provides
    @Singleton
    LeanConfig config(OptionValues options) {
        return LeanConfig.balanced(options);
    }
}
