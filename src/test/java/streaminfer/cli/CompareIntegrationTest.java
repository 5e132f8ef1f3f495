package streaminfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import streaminfer.broker.KafkaBroker;
import streaminfer.broker.Topics;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.compare.ResultTopicReader;
import streaminfer.config.ConfigBuilder;
import streaminfer.engine.Engine;
import streaminfer.family.dgex.SyntheticPanels;
import streaminfer.family.guesswhat.EvaluationGames;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.Frame;
import streaminfer.v1.GenePanel;

/**
 * {@code compare} as regression testing by replay: the shipped SSD serves one frames topic as three
 * pipelines, two alike and one publishing from a higher score. The alike ones compare equal; the
 * other loses exactly the detections scored between the two thresholds. Two D-GEX pipelines
 * batching differently compare equal too, and given the turns, two dialogue pipelines' self-played
 * games are rated against their targets.
 */
class CompareIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(180);
  private static final int STREAMS = 3;
  private static final int TICKS = 30;
  private static final int FRAMES = STREAMS * TICKS;
  private static final double HIGHER_THRESHOLD = 0.6;
  private static final int GAMES = 40;

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  @TempDir Path dir;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void findsNoDifferenceBetweenAModelAndItselfAndTheDetectionsAHigherThresholdDrops()
      throws Exception {
    produceFrames();
    double modelThreshold =
        json.readTree(Path.of("models/ssd/1/model.json").toFile())
            .path("postprocessing")
            .path("outputThreshold")
            .asDouble();
    assertTrue(modelThreshold < HIGHER_THRESHOLD, "the model publishes from " + modelThreshold);
    try (Engine engine =
        Engine.start(
            ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
                .pipeline("ssd-v1", "ssd")
                .inPipeline("ssd-v1", "output", "detections-v1")
                .pipeline("ssd-v1-again", "ssd")
                .inPipeline("ssd-v1-again", "output", "detections-v1-again")
                .pipeline("ssd-strict", "ssd")
                .inPipeline("ssd-strict", "output", "detections-strict")
                .inPipeline("ssd-strict", "settings.outputThreshold", HIGHER_THRESHOLD)
                .build())) {
      for (String topic : List.of("detections-v1", "detections-v1-again", "detections-strict")) {
        awaitRecords(topic, FRAMES);
      }
    }

    Run same = compare("detections-v1", "detections-v1-again");
    assertEquals(0, same.exit(), same.out());
    assertEquals(FRAMES, same.report().path("paired").asInt(), same.out());
    assertEquals(0, same.report().path("differing").asInt(), same.out());
    assertEquals(0, count(same, "missing") + count(same, "new") + count(same, "changed"));
    assertTrue(count(same, "matched") > 0, "the detector found nothing: " + same.out());
    assertTrue(same.report().path("passed").asBoolean());

    Run strict = compare("detections-v1", "detections-strict");
    assertEquals(1, strict.exit(), strict.out());
    JsonNode report = strict.report();
    assertEquals(FRAMES, report.path("paired").asInt());
    assertEquals(
        0, report.path("a").path("onlyHere").asInt() + report.path("b").path("onlyHere").asInt());
    assertTrue(count(strict, "missing") > 0, "no detection scored between the thresholds");
    assertEquals(0, count(strict, "new"), strict.out());
    assertEquals(0, count(strict, "changed"), strict.out());
    JsonNode missingScore = report.path("metrics").path("missing score");
    assertTrue(missingScore.path("min").asDouble() >= modelThreshold - 1e-6, strict.out());
    assertTrue(missingScore.path("max").asDouble() < HIGHER_THRESHOLD, strict.out());
    // Every detection the strict model kept is one the first model found, unchanged.
    JsonNode perFrameB = report.path("metrics").path("B detections per frame");
    assertEquals(Math.round(perFrameB.path("mean").asDouble() * FRAMES), count(strict, "matched"));
    assertTrue(report.path("differing").asInt() > 0);
    assertEquals(false, report.path("passed").asBoolean());

    Run tolerant = compare("detections-v1", "detections-strict", "--max-differing-fraction", "1");
    assertEquals(0, tolerant.exit(), tolerant.out());

    assertEquals(2, exitOf("--a", "no-such-topic", "--b", "detections-v1"));
    assertEquals(2, exitOf("--a", "detections-v1", "--b", "detections-strict", "--family", "nope"));
    assertEquals(2, exitOf("--a", "detections-v1", "--b", "frames"));
  }

  private int exitOf(String... args) {
    List<String> line =
        new ArrayList<>(List.of("compare", "--bootstrap", broker.bootstrapServers()));
    line.addAll(List.of(args));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute(line.toArray(String[]::new));
  }

  @Test
  void findsNoDifferenceBetweenTwoPipelinesOfTheSameExpressionModel() throws Exception {
    Topics.ensure(broker.bootstrapServers(), List.of("gene-panels"), 3);
    SyntheticPanels panels = SyntheticPanels.fromGolden(Path.of("models/dgex/1"), 5);
    AvroCodec<GenePanel> codec = AvroCodec.forType(GenePanel.class, WriterSchemas.v1());
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 200; i++) {
        String id = "sample-" + i;
        producer.send(new ProducerRecord<>("gene-panels", id, codec.encode(panels.next(id))));
      }
      producer.flush();
    }
    try (Engine engine =
        Engine.start(
            ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
                .pipeline("dgex-v1", "dgex")
                .inPipeline("dgex-v1", "output", "expression-v1")
                .pipeline("dgex-v1-again", "dgex")
                .inPipeline("dgex-v1-again", "output", "expression-v1-again")
                // Other batches on each side: the same values regardless of batch composition.
                .inPipeline("dgex-v1-again", "batch.maxSize", 7)
                .build())) {
      awaitRecords("expression-v1", 200);
      awaitRecords("expression-v1-again", 200);
    }

    Run same = compare("expression-v1", "expression-v1-again");

    assertEquals(0, same.exit(), same.out());
    assertEquals("dgex", same.report().path("family").asText());
    assertEquals(200, same.report().path("paired").asInt());
    JsonNode diff = same.report().path("metrics").path("|value diff|");
    assertTrue(diff.path("n").asLong() >= 200, same.out());
    assertEquals(0.0, diff.path("max").asDouble(), same.out());
  }

  @Test
  void givenTheTurnsRatesEachSidesSelfPlaySuccessAgainstTheTargets() throws Exception {
    List<EvaluationGames.Game> games =
        EvaluationGames.read(Path.of("models/guesswhat-qgen/1").resolve(EvaluationGames.FILE))
            .values()
            .iterator()
            .next()
            .subList(0, GAMES);
    Topics.ensure(broker.bootstrapServers(), List.of("dialogue-turns"), 3);
    AvroCodec<DialogueTurn> codec = AvroCodec.forType(DialogueTurn.class, WriterSchemas.v1());
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < GAMES; i++) {
        DialogueTurn turn = games.get(i).selfPlayTurn("game-" + i);
        producer.send(new ProducerRecord<>("dialogue-turns", turn.getGameId(), codec.encode(turn)));
      }
      producer.flush();
    }
    try (Engine engine =
        Engine.start(
            ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
                .pipeline("guesswhat-v1", "guesswhat")
                .inPipeline("guesswhat-v1", "output", "replies-v1")
                .inPipeline("guesswhat-v1", "settings.stateTopic", "state-v1")
                .pipeline("guesswhat-v1-again", "guesswhat")
                .inPipeline("guesswhat-v1-again", "output", "replies-v1-again")
                .inPipeline("guesswhat-v1-again", "settings.stateTopic", "state-v1-again")
                .build())) {
      awaitRecords("replies-v1", GAMES);
      awaitRecords("replies-v1-again", GAMES);
    }
    AvroCodec<DialogueReply> replies = AvroCodec.forType(DialogueReply.class, WriterSchemas.v1());
    List<Integer> successes = new ArrayList<>();
    ResultTopicReader reader =
        new ResultTopicReader(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            Duration.ofSeconds(30));
    reader.read(
        "--a",
        "replies-v1",
        (key, value) -> {
          int game = Integer.parseInt(key.substring("game-".length()));
          Integer guess = replies.decode(value).getGuessedObjectId();
          successes.add(guess != null && guess == games.get(game).targetObjectId() ? 1 : 0);
        });

    Run run = compare("replies-v1", "replies-v1-again", "--inputs", "dialogue-turns");

    JsonNode report = run.report();
    assertEquals("guesswhat", report.path("family").asText(), run.out());
    assertEquals(GAMES, report.path("paired").asInt(), run.out());
    assertEquals(GAMES, report.path("inputs").path("records").asInt(), run.out());
    JsonNode successA = report.path("metrics").path("A success rate");
    assertEquals(GAMES, successA.path("n").asInt(), run.out());
    assertEquals(
        successes.stream().mapToInt(Integer::intValue).sum(), successA.path("hits").asInt());
    assertEquals(GAMES, report.path("metrics").path("B success rate").path("n").asInt());
    assertEquals(report.path("differing").asInt() == 0 ? 0 : 1, run.exit(), run.out());

    assertEquals(2, exitOf("--a", "replies-v1", "--b", "replies-v1-again", "--inputs", "nowhere"));
  }

  private record Run(int exit, String out, JsonNode report) {}

  private Run compare(String a, String b, String... more) throws Exception {
    Path file = dir.resolve(a + "-vs-" + b + ".json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "compare",
                "--a",
                a,
                "--b",
                b,
                "--bootstrap",
                broker.bootstrapServers(),
                "--json",
                file.toString()));
    args.addAll(List.of(more));
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    int exit = cli.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), json.readTree(file.toFile()));
  }

  private static long count(Run run, String metric) {
    return run.report().path("metrics").path(metric).path("n").asLong();
  }

  private void produceFrames() throws Exception {
    Topics.ensure(broker.bootstrapServers(), List.of("frames"), 3);
    AvroCodec<Frame> codec = AvroCodec.forType(Frame.class, WriterSchemas.v1());
    Map<String, Object> properties =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (SyntheticCameras cameras = new SyntheticCameras("cam", STREAMS, 320, 320, 0.85f, 7);
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
      for (int tick = 0; tick < TICKS; tick++) {
        for (int stream = 0; stream < STREAMS; stream++) {
          Frame frame = cameras.next(stream).frame();
          producer.send(new ProducerRecord<>("frames", frame.getStreamId(), codec.encode(frame)));
        }
      }
      producer.flush();
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    Map<String, Object> properties =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
  }

  private void awaitRecords(String topic, int records) throws InterruptedException {
    ResultTopicReader reader =
        new ResultTopicReader(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            Duration.ofSeconds(30));
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      long read = 0;
      try {
        read = reader.read("--a", topic, (key, value) -> {});
      } catch (streaminfer.config.ConfigException notYetCreated) {
        // The engine creates its output topics as it starts.
      }
      if (read >= records) {
        return;
      }
      assertTrue(System.nanoTime() < end, topic + " holds " + read + " of " + records);
      Thread.sleep(250);
    }
  }
}
