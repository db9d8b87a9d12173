package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The first madvise error: decommit is disabled for this allocator from now on. */
@Name("hakmem.DecommitDisabled")
@Label("Decommit Disabled")
@Category("hakmem")
@Description("A madvise call failed; the allocator decommits nothing from now on (fail fast)")
public final class DecommitDisabledEvent extends HakmemEvent {
    @Label("Address")
    public long address;

    @Label("Bytes")
    @DataAmount
    public long bytes;

    @Label("Advice")
    public String advice;

    @Label("Error")
    @Description("errno, e.g. EINVAL (22)")
    public String error;
}
