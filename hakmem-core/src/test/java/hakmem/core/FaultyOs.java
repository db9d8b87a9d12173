package hakmem.core;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import hakmem.api.spi.Advice;
import hakmem.api.spi.OsBox;
import hakmem.core.os.NativeOsBox;
import java.util.concurrent.atomic.AtomicInteger;

/** A fault-injecting OS box for tests: the real calls, unless a failure is armed. */
public final class FaultyOs implements OsBox {
    private final NativeOsBox real = new NativeOsBox();
    public final AtomicInteger mmapFailuresLeft = new AtomicInteger();
    public volatile int mmapErrno = 12;
    public volatile int madviseErrno;
    public final AtomicInteger madviseCalls = new AtomicInteger();

    public Module module() {
        FaultyOs self = this;
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(OsBox.class).toInstance(self);
            }
        };
    }

    @Override
    public long pageSize() {
        return real.pageSize();
    }

    @Override
    public long mmap(long length) {
        if (mmapFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return -mmapErrno;
        }
        return real.mmap(length);
    }

    @Override
    public int munmap(long address, long length) {
        return real.munmap(address, length);
    }

    @Override
    public int madvise(long address, long length, Advice advice) {
        madviseCalls.incrementAndGet();
        int e = madviseErrno;
        return e != 0 ? -e : real.madvise(address, length, advice);
    }

    @Override
    public long residentPages(long address, long length) {
        return real.residentPages(address, length);
    }
}
