package hakmem.core.policy;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link System.Logger} that keeps every record at WARNING and above, to bind in place of the core's. */
final class RecordingLogger implements System.Logger {

    /** One record. */
    record Entry(Level level, String message) {
    }

    final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return "hakmem";
    }

    @Override
    public boolean isLoggable(Level level) {
        return level.getSeverity() >= Level.WARNING.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            entries.add(new Entry(level, msg));
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            entries.add(new Entry(level, params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params)));
        }
    }
}
