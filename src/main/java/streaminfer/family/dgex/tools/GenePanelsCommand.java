package streaminfer.family.dgex.tools;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.client.KafkaOptions;
import streaminfer.client.PacedProducer;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.dgex.DgexModule;
import streaminfer.family.dgex.PanelFile;
import streaminfer.family.dgex.SyntheticPanels;
import streaminfer.runtime.ModelRepository;
import streaminfer.v1.GenePanel;

/** {@code produce gene-panels}: GenePanel records from a TSV file, or synthetic ones. */
@Command(
    name = "gene-panels",
    mixinStandardHelpOptions = true,
    description = "GenePanel records, keyed by sample id, from a TSV file or synthetic.")
public final class GenePanelsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--file", description = "TSV: sampleId, then landmark values, per line.")
    Path file;

    @Option(names = "--synthetic", description = "This many synthetic panels.")
    Long synthetic;
  }

  @Option(names = "--topic", defaultValue = "gene-panels")
  String topic;

  @Option(names = "--rate", defaultValue = "0", description = "Records per second; 0: no limit.")
  int rate;

  @Option(names = "--models-dir", defaultValue = "models", description = "For --synthetic.")
  Path modelsDir;

  @Override
  public Integer call() throws Exception {
    AvroCodec<GenePanel> codec = AvroCodec.forType(GenePanel.class, WriterSchemas.v1());
    List<byte[]> values = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    if (source.file != null) {
      try (BufferedReader reader = Files.newBufferedReader(source.file)) {
        PanelFile panels = new PanelFile(reader);
        for (var panel = panels.next(); panel.isPresent(); panel = panels.next()) {
          keys.add(panel.get().getSampleId());
          values.add(codec.encode(panel.get()));
        }
      }
    } else {
      Path version =
          new ModelRepository(modelsDir).versionDirectory(DgexModule.NAME, OptionalInt.empty());
      SyntheticPanels panels = SyntheticPanels.fromGolden(version, 7);
      for (long i = 0; i < source.synthetic; i++) {
        String key = "sample-" + i;
        keys.add(key);
        values.add(codec.encode(panels.next(key)));
      }
    }
    try (PacedProducer producer =
        new PacedProducer(
            kafka.clientProperties(),
            topic,
            rate,
            values.size(),
            n -> new PacedProducer.Keyed(keys.get((int) n), values.get((int) n)))) {
      long sent = producer.run();
      System.out.printf("produced %d GenePanel records to %s%n", sent, topic);
    }
    return 0;
  }
}
