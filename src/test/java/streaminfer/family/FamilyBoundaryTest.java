package streaminfer.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Families are plug-ins: the code that serves every family never names one, so adding a family
 * touches only its own files. Checked on the sources, for every module on the class path (the
 * shipped ones and the test-only {@code scale}).
 */
class FamilyBoundaryTest {
  private static final Path SOURCES = Path.of("src/main/java/streaminfer");
  private static final List<String> FAMILY_FREE =
      List.of(
          "engine",
          "stream",
          "runtime",
          "batch",
          "codec",
          "cli",
          "config",
          "pipeline",
          "ops",
          "broker",
          "client",
          "bench",
          "compare");

  @Test
  void noFamilyNameOrRecordIsNamedOutsideTheFamilyPackages() throws IOException {
    List<String> words = new ArrayList<>();
    for (FamilyModule<?> module : FamilyModules.discover().all()) {
      words.add(module.name());
      words.add(module.input().record().getSimpleName());
      module.outputs().forEach(output -> words.add(output.record().getSimpleName()));
    }
    Pattern named =
        Pattern.compile("\\b(" + String.join("|", words) + ")\\b", Pattern.CASE_INSENSITIVE);
    List<String> hits = new ArrayList<>();
    for (String name : FAMILY_FREE) {
      try (Stream<Path> files = Files.walk(SOURCES.resolve(name))) {
        for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            if (named.matcher(lines.get(i)).find()) {
              hits.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
          }
        }
      }
    }
    assertEquals(List.of(), hits, "family names outside family/: " + words);
  }

  @Test
  void everyModuleIsFoundAndNamedLikeItsPackage() {
    List<String> names = new ArrayList<>();
    for (FamilyModule<?> module : FamilyModules.discover().all()) {
      names.add(module.name());
      assertTrue(
          module.getClass().getPackageName().endsWith(".family." + packageOf(module.name())),
          module.getClass().getName());
    }
    assertTrue(names.containsAll(List.of("dgex", "ssd", "guesswhat", "scale")), names.toString());
  }

  /**
   * A family's package is its name up to the first hyphen: one package may hold a family's several
   * modules (a module reads one input topic), e.g. {@code began-images} and {@code began-frames}.
   */
  private static String packageOf(String name) {
    return name.toLowerCase(Locale.ROOT).split("-", 2)[0];
  }
}
