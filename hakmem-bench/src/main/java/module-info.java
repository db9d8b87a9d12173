/**
 * The hakmem CLI and bench: compares release policies and peer allocators on reference workloads.
 *
 * <p>Restricted FFM methods are called from this module (the peers' downcalls, and the one global segment the
 * workloads write through), so JVMs that run workloads need {@code --enable-native-access=hakmem.bench}.
 */
module hakmem.bench {
    requires hakmem.api;
    requires info.picocli;
    requires jdk.unsupported;
    requires java.desktop;
    requires java.management;
    requires com.fasterxml.jackson.databind;
    requires io.netty.buffer;
    requires io.netty.common;
    requires org.knowm.xchart;

    opens hakmem.bench to info.picocli;
}
