package streaminfer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.dgex.SyntheticPanels;
import streaminfer.family.guesswhat.EvaluationGames;
import streaminfer.runtime.ModelRepository;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.Frame;
import streaminfer.v1.GenePanel;

/** What {@code serve --demo} feeds: synthetic records for each served pipeline, paced. */
final class DemoFeed implements AutoCloseable {
  private static final int CAMERA_FPS = 60;
  private static final int SELF_PLAY_GAMES_PER_SECOND = 20;

  private final List<PacedProducer> producers;
  private final List<AutoCloseable> sources;

  private DemoFeed(List<PacedProducer> producers, List<AutoCloseable> sources) {
    this.producers = producers;
    this.sources = sources;
  }

  /**
   * @param topicPrefix the engine's topic prefix
   * @param panelRate gene panels per second
   */
  static DemoFeed start(
      String bootstrap, Path modelsDir, List<String> pipelines, String topicPrefix, int panelRate) {
    List<PacedProducer> producers = new ArrayList<>();
    List<AutoCloseable> sources = new ArrayList<>();
    WriterSchemas schemas = WriterSchemas.v1();
    for (String pipeline : pipelines) {
      switch (pipeline) {
        case "dgex" -> {
          Path version =
              new ModelRepository(modelsDir).versionDirectory("dgex", OptionalInt.empty());
          SyntheticPanels panels = SyntheticPanels.fromGolden(version, 42);
          AvroCodec<GenePanel> codec = AvroCodec.forType(GenePanel.class, schemas);
          producers.add(
              new PacedProducer(
                  bootstrap,
                  topicPrefix + "gene-panels",
                  panelRate,
                  Long.MAX_VALUE,
                  n -> {
                    String key = "demo-" + n;
                    return new PacedProducer.Keyed(key, codec.encode(panels.next(key)));
                  }));
        }
        case "ssd" -> {
          SyntheticCameras camera = new SyntheticCameras("demo-cam", 1, 320, 320, 0.85f, 42);
          sources.add(camera);
          AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, schemas);
          producers.add(
              new PacedProducer(
                  bootstrap,
                  topicPrefix + "frames",
                  CAMERA_FPS,
                  Long.MAX_VALUE,
                  n -> {
                    Frame frame = camera.next(0).frame();
                    return new PacedProducer.Keyed(frame.getStreamId(), codec.encode(frame));
                  }));
        }
        case "guesswhat" -> {
          Path version =
              new ModelRepository(modelsDir)
                  .versionDirectory("guesswhat-qgen", OptionalInt.empty());
          List<EvaluationGames.Game> games =
              EvaluationGames.read(version.resolve(EvaluationGames.FILE)).get("new_scenes");
          AvroCodec<DialogueTurn> codec = AvroCodec.forType(DialogueTurn.class, schemas);
          producers.add(
              new PacedProducer(
                  bootstrap,
                  topicPrefix + "dialogue-turns",
                  SELF_PLAY_GAMES_PER_SECOND,
                  Long.MAX_VALUE,
                  n -> {
                    String gameId = "demo-game-" + n;
                    return new PacedProducer.Keyed(
                        gameId,
                        codec.encode(games.get((int) (n % games.size())).selfPlayTurn(gameId)));
                  }));
        }
        default -> throw new IllegalArgumentException("no demo feed for pipeline " + pipeline);
      }
    }
    producers.forEach(producer -> producer.startInBackground("demo-feed"));
    return new DemoFeed(producers, sources);
  }

  @Override
  public void close() {
    producers.forEach(PacedProducer::close);
    for (AutoCloseable source : sources) {
      try {
        source.close();
      } catch (Exception e) {
        // The demo is stopping anyway; nothing to recover.
      }
    }
  }
}
