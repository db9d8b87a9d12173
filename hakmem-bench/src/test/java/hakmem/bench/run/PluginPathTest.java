package hakmem.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginPathTest {

    @TempDir
    Path dir;

    @Test
    void entriesAreAbsoluteNormalizedOnceAndBlanksDropped() {
        assertThat(PluginPath.parse(null)).isEmpty();
        assertThat(PluginPath.parse("::")).isEmpty();
        assertThat(PluginPath.parse("/a/b/../x.jar:/a/x.jar: /c ")).containsExactly(Path.of("/a/x.jar"), Path.of("/c"));
        assertThat(PluginPath.parse("rel.jar")).singleElement().satisfies(p -> assertThat(p.isAbsolute()).isTrue());
    }

    @Test
    void aChildGetsThePluginEntriesItsParentsModulePathLacks() {
        String parent = "/m/modules" + File.pathSeparator + "/p/a.jar";
        assertThat(PluginPath.childModulePath(parent, List.of(Path.of("/p/a.jar"), Path.of("/p/b.jar"))))
                .isEqualTo(parent + File.pathSeparator + "/p/b.jar");
        assertThat(PluginPath.childModulePath(parent, List.of())).isEqualTo(parent);
    }

    @Test
    void aMissingEntryOrOneNotOnTheModulePathIsAProblem() throws Exception {
        Path jar = Files.createFile(dir.resolve("x.jar"));
        Path gone = dir.resolve("gone.jar");
        assertThat(PluginPath.problems(List.of(jar), "/m/modules" + File.pathSeparator + jar)).isEmpty();
        assertThat(PluginPath.problems(List.of(jar, gone), "/m/modules")).satisfiesExactly(
                p -> assertThat(p).contains(jar + " is not on this JVM's module path", "./hakmem --plugin-path"),
                p -> assertThat(p).contains(gone + " does not exist"));
    }
}
