package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** The allocator's footprint, periodically (default every second; set "period" as for any periodic event). */
@Name("hakmem.Statistics")
@Label("Allocator Statistics")
@Category("hakmem")
@Description("One allocator's footprint: mapped, committed, resident, live and metadata bytes")
@Period("1 s")
@StackTrace(false)
public final class StatisticsEvent extends HakmemEvent {
    @Label("Mapped")
    @DataAmount
    public long mappedBytes;

    @Label("Committed")
    @DataAmount
    @Description("Mapped memory that held data and was not decommitted since (an upper bound of resident)")
    public long committedBytes;

    @Label("Resident")
    @DataAmount
    @Description("Resident bytes of the allocator's mappings (mincore); -1 if mincore failed")
    public long residentBytes;

    @Label("Live")
    @DataAmount
    @Description("Bytes of slabs held by thread heaps plus live large blocks (the fast path counts no bytes: an upper bound of live data)")
    public long liveBytes;

    @Label("Metadata")
    @DataAmount
    @Description("Java-heap bytes of the allocator's bookkeeping")
    public long metadataBytes;

    @Label("Cached Large")
    @DataAmount
    public long cachedLargeBytes;

    @Label("Superslabs")
    public long superSlabs;

    @Label("Heaps")
    public long heaps;
}
