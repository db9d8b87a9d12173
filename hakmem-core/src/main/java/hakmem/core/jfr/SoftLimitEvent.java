package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The footprint was found above the soft limit: what the policy and then the core released. */
@Name("hakmem.SoftLimit")
@Label("Soft Limit")
@Category("hakmem")
@Description("The committed footprint was above hakmem.soft.limit.mb: the policy was asked to release, then the core trimmed if still over")
public final class SoftLimitEvent extends HakmemEvent {
    @Label("Limit")
    @DataAmount
    public long limitBytes;

    @Label("Footprint Before")
    @DataAmount
    public long beforeBytes;

    @Label("Footprint After Policy")
    @DataAmount
    public long afterPolicyBytes;

    @Label("Footprint After")
    @DataAmount
    public long afterBytes;

    @Label("Trimmed")
    @Description("True if the policy's release was not enough and the core trimmed")
    public boolean trimmed;
}
