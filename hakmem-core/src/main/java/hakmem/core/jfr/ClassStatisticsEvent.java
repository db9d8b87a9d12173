package hakmem.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Per size class that has memory, periodically, with {@link StatisticsEvent}. */
@Name("hakmem.ClassStatistics")
@Label("Size Class Statistics")
@Category("hakmem")
@Description("One size class of one allocator (only classes with a superslab mapped)")
@Period("1 s")
@StackTrace(false)
public final class ClassStatisticsEvent extends HakmemEvent {
    @Label("Size Class")
    public String sizeClass;

    @Label("Block Size")
    @DataAmount
    public long blockSize;

    @Label("Superslabs")
    public long superSlabs;

    @Label("Committed")
    @DataAmount
    public long committedBytes;

    @Label("Empty Committed")
    @DataAmount
    @Description("Committed bytes of slabs holding no block (what a decommit could release)")
    public long emptyCommittedBytes;

    @Label("In Use")
    @DataAmount
    @Description("Bytes of slabs held by thread heaps")
    public long inUseBytes;
}
