/** The hakmem CLI and bench: compares release policies and peer allocators on reference workloads. */
module hakmem.bench {
    requires hakmem.api;
    requires info.picocli;

    opens hakmem.bench to info.picocli;
}
