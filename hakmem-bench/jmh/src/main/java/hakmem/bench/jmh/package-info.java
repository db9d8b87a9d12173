/**
 * JMH microbenchmarks of the bench's subjects (hakmem policies and peers), one idea per benchmark.
 *
 * <p>Build and run (from the repository root):
 * <pre>
 *   mvn -q -B package -pl hakmem-bench/jmh -am -DskipTests
 *   java --enable-native-access=ALL-UNNAMED -jar hakmem-bench/jmh/target/benchmarks.jar
 *   java -jar hakmem-bench/jmh/target/benchmarks.jar MixedBench -p subject=balanced,unsafe
 * </pre>
 * Every benchmark forks with {@code --enable-native-access=ALL-UNNAMED} (FFM downcalls and the workloads' global
 * segment are restricted). {@code ffm-jemalloc} needs {@code GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536}
 * in the environment of the {@code java -jar} command; it is not in the default parameter lists.
 */
package hakmem.bench.jmh;
