package hakmem.bench;

/** Placeholder until the bench lands: the launcher's entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("hakmem: not implemented yet");
        System.exit(1);
    }
}
