package hakmem.bench.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** JSON through Jackson's tree model (no reflection, so nothing needs to be opened to Jackson). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + ": "
                    + (text.length() > 200 ? text.substring(0, 200) + "..." : text), e);
        }
    }

    public static String line(JsonNode node) {
        try {
            return COMPACT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts a value of a simple type (number, string, boolean, null). */
    public static void put(ObjectNode o, String key, Object v) {
        switch (v) {
            case null -> o.putNull(key);
            case Integer i -> o.put(key, i);
            case Long l -> o.put(key, l);
            case Double d -> o.put(key, d);
            case Boolean b -> o.put(key, b);
            default -> o.put(key, v.toString());
        }
    }

    public static void putAll(ObjectNode o, Map<String, Object> values) {
        values.forEach((k, v) -> put(o, k, v));
    }

    /** A long field, or {@code dflt} if missing or null. */
    public static long lng(JsonNode n, String key, long dflt) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? dflt : v.asLong();
    }

    /** A double field, or NaN if missing or null. */
    public static double dbl(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    public static String str(JsonNode n, String key, String dflt) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? dflt : v.asText();
    }
}
