package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Superslabs of a class mapped and touched at open, as the policy asked. */
@Name("hakmem.Prewarm")
@Label("Prewarm")
@Category("hakmem")
@Description("Superslabs of one size class mapped and made resident at open")
public final class PrewarmEvent extends HakmemEvent {
    @Label("Size Class")
    public String sizeClass;

    @Label("Superslabs")
    public long superSlabs;

    @Label("Bytes")
    @DataAmount
    public long bytes;
}
