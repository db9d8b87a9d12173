/**
 * The hakmem CLI and bench: compares release policies and peer allocators on reference workloads.
 *
 * <p>Restricted FFM methods are called from this module (the peers' downcalls, and the one global segment the
 * workloads write through), so JVMs that run workloads need {@code --enable-native-access=hakmem.bench}.
 */
module hakmem.bench {
    requires hakmem.api;
    requires hakmem.testkit;
    requires info.picocli;
    requires jdk.unsupported;
    requires java.desktop;
    requires java.management;
    requires com.fasterxml.jackson.databind;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires hakmem.netty;
    requires org.knowm.xchart;

    // check-policy finds every policy plugin itself, to run the test kit's contract checks on it
    uses hakmem.api.spi.PolicyPlugin;

    opens hakmem.bench to info.picocli;
}
