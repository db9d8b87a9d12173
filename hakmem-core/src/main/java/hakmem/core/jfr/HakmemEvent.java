package hakmem.core.jfr;

import jdk.jfr.Event;
import jdk.jfr.Label;

/** What every hakmem event carries: the allocator it came from. */
public abstract class HakmemEvent extends Event {
    @Label("Allocator")
    @jdk.jfr.Description("The allocator's id, as in its MBean name (hakmem:type=Allocator,policy=...,id=N)")
    public long allocator;

    @Label("Policy")
    public String policy;
}
