package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Empty memory given back with madvise (still mapped): slabs of a class, or cached large mappings. */
@Name("hakmem.Decommit")
@Label("Decommit")
@Category("hakmem")
@Description("Empty memory decommitted with madvise: slabs of one size class, or cached large mappings")
public final class DecommitEvent extends HakmemEvent {
    @Label("Size Class")
    @Description("The size class (e.g. C5), or 'large' for cached mappings of blocks above 1 MiB")
    public String sizeClass;

    @Label("Bytes")
    @DataAmount
    public long bytes;

    @Label("Advice")
    @Description("DONTNEED or FREE")
    public String advice;
}
