package hakmem.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where and with what a comparison ran: CPU, memory, OS, JDK and the git commit. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static ObjectNode machine() {
        ObjectNode o = Json.object();
        o.put("cpu", cpuModel());
        o.put("cpus", Runtime.getRuntime().availableProcessors());
        o.put("memTotalBytes", memTotal());
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        o.put("distro", distro());
        o.put("loadAverage", loadAverage());
        return o;
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    public static ObjectNode jdk() {
        ObjectNode o = Json.object();
        o.put("version", System.getProperty("java.runtime.version"));
        o.put("vendor", System.getProperty("java.vendor"));
        o.put("vm", System.getProperty("java.vm.name"));
        o.put("home", System.getProperty("java.home"));
        return o;
    }

    public static ObjectNode git() {
        ObjectNode o = Json.object();
        o.put("commit", exec("git", "rev-parse", "HEAD"));
        o.put("branch", exec("git", "rev-parse", "--abbrev-ref", "HEAD"));
        String status = exec("git", "status", "--porcelain", "--untracked-files=no");
        o.put("dirty", !status.equals("unknown") && !status.isEmpty());
        return o;
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static long memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    static String distro() {
        try {
            for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (l.startsWith("PRETTY_NAME=")) {
                    return l.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "unknown";
    }

    static String exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
