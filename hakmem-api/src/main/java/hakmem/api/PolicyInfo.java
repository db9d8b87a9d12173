package hakmem.api;

/**
 * A release policy found on the module path.
 *
 * @param id          the id to select it with ({@code -Dhakmem.policy=<id>})
 * @param description one line on what it does
 * @param module      the JPMS module (or jar, on the class path) it came from
 */
public record PolicyInfo(String id, String description, String module) {
}
