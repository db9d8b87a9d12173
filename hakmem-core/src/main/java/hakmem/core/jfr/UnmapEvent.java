package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Empty memory unmapped: superslabs of a class retired, or cached large mappings unmapped. */
@Name("hakmem.Unmap")
@Label("Unmap")
@Category("hakmem")
@Description("Empty memory unmapped: superslabs of one size class retired, or cached large mappings unmapped")
public final class UnmapEvent extends HakmemEvent {
    @Label("Size Class")
    @Description("The size class (e.g. C5), or 'large' for cached mappings of blocks above 1 MiB")
    public String sizeClass;

    @Label("Mappings")
    @Description("Superslabs retired, or large mappings unmapped (for large: 0 when unknown)")
    public long mappings;

    @Label("Bytes")
    @DataAmount
    public long bytes;
}
