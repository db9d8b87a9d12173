/**
 * The allocator's JDK Flight Recorder events, category {@code hakmem}, names {@code hakmem.*}. Only classes of events:
 * they are emitted on slow paths by the OS layer, the class pools and the policy driver (never on the malloc/free
 * fast path), and a disabled event costs a field check. See docs/observing.md.
 */
package hakmem.core.jfr;
