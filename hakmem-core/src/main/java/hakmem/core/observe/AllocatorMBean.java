package hakmem.core.observe;

import hakmem.api.AllocatorStats;
import hakmem.core.alloc.Figures;
import hakmem.core.alloc.HakmemAllocator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * The MBean of one open allocator, {@code hakmem:type=Allocator,policy=<id>,id=<n>}: read-only attributes for the
 * footprint ({@code MappedBytes}, {@code CommittedBytes}, {@code ResidentBytes}, {@code LiveBytes},
 * {@code MetadataBytes}, {@code CachedLargeBytes}, {@code SoftLimitBytes}), every count of the stats (its current
 * value, e.g. {@code Superslabs}, and {@code SuperslabsPeak}) and every counter ({@code MmapCalls}, the policy's own
 * ...), all {@code long}; {@code Policy} and {@code Id}; operations {@code trim()} (bytes released) and
 * {@code stats()} (the snapshot as JSON). Attribute names are the stats' snake_case names in CamelCase, so a JMX
 * reader (jconsole, Micrometer's or Prometheus' JMX bridges) sees plain numeric attributes. After close the
 * allocator's MBean is gone; a reader that raced close gets the zeros and counters of the closed allocator, and
 * {@code ResidentBytes} 0.
 */
final class AllocatorMBean implements DynamicMBean {

    private final HakmemAllocator allocator;
    /** Attribute name -> reader; insertion order is the order jconsole shows. */
    private final Map<String, Function<Snapshot, Object>> readers = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private final MBeanInfo info;

    /** What one read sees: the stats and figures taken together. */
    private record Snapshot(AllocatorStats stats, Figures figures) {
    }

    AllocatorMBean(HakmemAllocator allocator) {
        this.allocator = allocator;
        readers.put("Policy", s -> allocator.policy());
        descriptions.put("Policy", "the release policy in force");
        readers.put("Id", s -> allocator.id());
        descriptions.put("Id", "the allocator's id in this JVM");
        figure("MappedBytes", "bytes mapped now", s -> s.figures().mappedBytes());
        figure("CommittedBytes", "mapped bytes that held data and were not decommitted since", s -> s.figures().committedBytes());
        figure("ResidentBytes", "resident bytes of the allocator's mappings (mincore; 0 after close)", s -> resident());
        figure("LiveBytes", "bytes of slabs held by thread heaps plus live large blocks (bounds live data from above)",
                s -> s.figures().liveBytes());
        figure("MetadataBytes", "Java-heap bytes of the allocator's bookkeeping", s -> s.figures().metadataBytes());
        figure("CachedLargeBytes", "bytes of freed large mappings kept for reuse", s -> s.figures().cachedLargeBytes());
        figure("SoftLimitBytes", "the soft limit (0: none)", s -> allocator.softLimitBytes());
        AllocatorStats first = allocator.stats();
        for (AllocatorStats.Count c : first.counts()) {
            String name = camel(c.name());
            String key = c.name();
            readers.putIfAbsent(name, s -> s.stats().count(key).current());
            descriptions.putIfAbsent(name, c.name() + " (count): current value");
            readers.put(name + "Peak", s -> s.stats().count(key).peak());
            descriptions.put(name + "Peak", c.name() + " (count): highest value seen");
        }
        for (AllocatorStats.Counter c : first.counters()) {
            String key = c.name();
            readers.putIfAbsent(camel(key), s -> s.stats().counter(key));
            descriptions.putIfAbsent(camel(key), key + " (counter)");
        }
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        readers.forEach((name, r) -> attributes.add(new MBeanAttributeInfo(name,
                name.equals("Policy") ? String.class.getName() : long.class.getName(),
                descriptions.get(name), true, false, false)));
        MBeanOperationInfo[] ops = {
            new MBeanOperationInfo("trim", "release now everything releasable (Allocator.trim); returns the bytes released",
                    new MBeanParameterInfo[0], long.class.getName(), MBeanOperationInfo.ACTION),
            new MBeanOperationInfo("stats", "the stats snapshot as JSON", new MBeanParameterInfo[0],
                    String.class.getName(), MBeanOperationInfo.INFO)};
        this.info = new MBeanInfo(AllocatorMBean.class.getName(), "hakmem-j allocator (policy " + allocator.policy() + ")",
                attributes.toArray(MBeanAttributeInfo[]::new), null, ops, null);
    }

    private void figure(String name, String description, Function<Snapshot, Object> reader) {
        readers.put(name, reader);
        descriptions.put(name, description);
    }

    private long resident() {
        try {
            return allocator.residentBytes();
        } catch (IllegalStateException closed) {
            return 0;
        }
    }

    /** The MBean's name: {@code hakmem:type=Allocator,policy=<id>,id=<n>} (the policy quoted if it needs it). */
    static ObjectName name(HakmemAllocator allocator) {
        String policy = allocator.policy();
        String value = policy.matches("[A-Za-z0-9._@-]+") ? policy : ObjectName.quote(policy);
        try {
            return new ObjectName("hakmem:type=Allocator,policy=" + value + ",id=" + allocator.id());
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("cannot name the MBean of policy '" + policy + "'", e);
        }
    }

    /** {@code mmap_calls} -> {@code MmapCalls}. */
    static String camel(String snake) {
        StringBuilder sb = new StringBuilder(snake.length());
        for (String part : snake.split("_")) {
            if (!part.isEmpty()) {
                sb.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return sb.toString();
    }

    private Snapshot snapshot() {
        return new Snapshot(allocator.stats(), allocator.figures());
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Function<Snapshot, Object> r = readers.get(attribute);
        if (r == null) {
            throw new AttributeNotFoundException("no attribute '" + attribute + "'; attributes: " + readers.keySet());
        }
        return r.apply(snapshot());
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        Snapshot s = snapshot();
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            Function<Snapshot, Object> r = readers.get(a);
            if (r != null) {
                list.add(new Attribute(a, r.apply(s)));
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("attribute '" + attribute.getName() + "' is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        if (params != null && params.length > 0) {
            throw new ReflectionException(new NoSuchMethodException(actionName + " with " + params.length
                    + " parameters; operations: trim(), stats()"));
        }
        return switch (actionName) {
            case "trim" -> allocator.trim();
            case "stats" -> allocator.stats().toJson();
            default -> throw new ReflectionException(new NoSuchMethodException(actionName
                    + "; operations: trim(), stats()"));
        };
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
