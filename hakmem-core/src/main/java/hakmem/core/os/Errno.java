package hakmem.core.os;

/** Names of the errno values the OS layer reports. */
public final class Errno {
    private Errno() {
    }

    /** {@code "ENOMEM (12)"} for 12; unknown numbers as {@code "errno 99"}. */
    public static String describe(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 16 -> "EBUSY";
            case 22 -> "EINVAL";
            case 38 -> "ENOSYS";
            default -> null;
        };
        return name == null ? "errno " + errno : name + " (" + errno + ")";
    }
}
