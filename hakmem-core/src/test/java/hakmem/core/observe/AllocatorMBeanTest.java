package hakmem.core.observe;

import static hakmem.core.observe.Open.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.core.alloc.HakmemAllocator;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The allocator's MBean: name, attributes, operations, and its lifetime (open to close). */
class AllocatorMBeanTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @Test
    void registeredAtOpenReadableAndGoneAtClose() throws Exception {
        ObjectName name;
        try (HakmemAllocator a = Open.open("lean", Map.of())) {
            name = new ObjectName("hakmem:type=Allocator,policy=lean,id=" + a.id());
            assertThat(SERVER.isRegistered(name)).as(name + " registered").isTrue();
            assertThat(SERVER.queryNames(new ObjectName("hakmem:type=Allocator,*"), null)).contains(name);

            long big = a.malloc(2 * MIB);
            long small = a.malloc(100);
            hakmem.core.Blocks.fill(big, 2 * MIB);
            hakmem.core.Blocks.fill(small, 100);
            assertThat((String) SERVER.getAttribute(name, "Policy")).isEqualTo("lean");
            assertThat((long) SERVER.getAttribute(name, "Id")).isEqualTo(a.id());
            assertThat((long) SERVER.getAttribute(name, "MappedBytes")).isGreaterThanOrEqualTo(2 * MIB);
            assertThat((long) SERVER.getAttribute(name, "LiveBytes")).isGreaterThanOrEqualTo(2 * MIB);
            assertThat((long) SERVER.getAttribute(name, "ResidentBytes")).isPositive();
            assertThat((long) SERVER.getAttribute(name, "MetadataBytes")).isEqualTo(a.stats().count("metadata_bytes").current());
            assertThat((long) SERVER.getAttribute(name, "MmapCalls")).isEqualTo(a.stats().counter("mmap_calls"));
            assertThat((long) SERVER.getAttribute(name, "SuperslabsPeak")).isPositive();

            List<String> attributes = Arrays.stream(SERVER.getMBeanInfo(name).getAttributes())
                    .map(MBeanAttributeInfo::getName).toList();
            for (var c : a.stats().counters()) {
                assertThat(attributes).as("every counter is an attribute").contains(AllocatorMBean.camel(c.name()));
            }
            for (var c : a.stats().counts()) {
                assertThat(attributes).contains(AllocatorMBean.camel(c.name()), AllocatorMBean.camel(c.name()) + "Peak");
            }
            assertThat(Arrays.stream(SERVER.getMBeanInfo(name).getAttributes()).filter(i -> !i.getName().equals("Policy")))
                    .allSatisfy(i -> assertThat(i.getType()).isEqualTo("long"));
            assertThat(SERVER.getAttributes(name, new String[] {"MappedBytes", "CommittedBytes"})).hasSize(2);

            a.free(big);
            a.free(small);
            long released = (long) SERVER.invoke(name, "trim", null, null);
            assertThat(released).as("trim over JMX").isPositive();
            assertThat(a.stats().counter("trims")).isEqualTo(1);
            String json = (String) SERVER.invoke(name, "stats", null, null);
            assertThat(json).startsWith("{\"version\":").contains("\"policy\":\"lean\"").contains("\"trims\":1");
        }
        assertThat(SERVER.isRegistered(name)).as("unregistered at close").isFalse();
    }

    @Test
    void jmxOffRegistersNothing() throws Exception {
        try (HakmemAllocator a = Open.open("keep", Map.of("jmx", "0"))) {
            assertThat(SERVER.isRegistered(new ObjectName("hakmem:type=Allocator,policy=keep,id=" + a.id()))).isFalse();
        }
    }

    @Test
    void camelCaseNames() {
        assertThat(AllocatorMBean.camel("mmap_calls")).isEqualTo("MmapCalls");
        assertThat(AllocatorMBean.camel("superslabs")).isEqualTo("Superslabs");
    }
}
