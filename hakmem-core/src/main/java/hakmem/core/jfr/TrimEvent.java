package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One trim: everything releasable released now, whatever the policy's pacing. */
@Name("hakmem.Trim")
@Label("Trim")
@Category("hakmem")
@Description("Allocator.trim(): every empty slab decommitted, every empty superslab and cached large mapping unmapped")
public final class TrimEvent extends HakmemEvent {
    @Label("Cause")
    @Description("'call' (Allocator.trim or the MBean) or 'soft-limit'")
    public String cause;

    @Label("Decommitted")
    @DataAmount
    public long decommittedBytes;

    @Label("Unmapped")
    @DataAmount
    public long unmappedBytes;
}
