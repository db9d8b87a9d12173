/**
 * The hakmem-j allocator: SuperSlab backend, thread heaps, remote free, and the boxes (env gate, OS layer with the
 * madvise guard, stats). Exports nothing: users reach it through {@code hakmem.api}.
 */
module hakmem.core {
    requires hakmem.api;
    requires com.google.guice;
    requires jdk.jfr;
    requires java.management;

    // JFR reads the fields of the event classes; jconsole and JMX clients see the MBean through its interface only
    exports hakmem.core.jfr to jdk.jfr;

    provides hakmem.api.spi.AllocatorProvider with hakmem.core.HakmemProvider;
    provides hakmem.api.spi.PolicyPlugin with hakmem.core.policy.KeepPlugin;
    uses hakmem.api.spi.PolicyPlugin;

    opens hakmem.core to com.google.guice;
    opens hakmem.core.os to com.google.guice;
    opens hakmem.core.option to com.google.guice;
    opens hakmem.core.stats to com.google.guice;
    opens hakmem.core.policy to com.google.guice;
}
