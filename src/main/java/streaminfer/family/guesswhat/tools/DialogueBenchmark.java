package streaminfer.family.guesswhat.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import streaminfer.batch.BatchConfig;
import streaminfer.batch.BatchListener;
import streaminfer.bench.Backlog;
import streaminfer.bench.BenchSettings;
import streaminfer.bench.Throughput;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.config.ConfigBuilder;
import streaminfer.engine.Engine;
import streaminfer.family.guesswhat.EvaluationGames;
import streaminfer.family.guesswhat.GameSpec;
import streaminfer.family.guesswhat.GuessWhatModule;
import streaminfer.family.guesswhat.Players;
import streaminfer.family.guesswhat.SelfPlay;
import streaminfer.pipeline.BatchedModel;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;

/**
 * GuessWhat?! self-play on the trainer's held-out games, side by side: the players in process
 * (micro-batched ORT, no Kafka, no game state) and the engine's dialogue pipeline through Kafka
 * (turns in, game states saved, replies out), with the task success of each.
 *
 * <p>Both phases get the same treatment: the same device ({@code cpu}), ORT threads and batching;
 * one unreported warm-up round of both, then rounds in alternating order (in process first in odd
 * rounds, the engine first in even ones), so neither always meets the cold JIT; and one clock rule,
 * from the moment a tenth of the games have finished to the last one (the first tenth is warm-up
 * for both).
 */
public final class DialogueBenchmark {
  /**
   * @param concurrentGames games in flight at once, in process and through the engine alike
   */
  public record Options(
      String bootstrap,
      Path modelsDir,
      BatchConfig batch,
      int intraOpThreads,
      int partitions,
      int concurrentGames,
      int rounds) {}

  private static final Duration DEADLINE = Duration.ofMinutes(10);

  private final Options options;
  private final PrintStream out;
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<DialogueTurn> turns = AvroCodec.forType(DialogueTurn.class, schemas);
  private final AvroCodec<DialogueReply> replies = AvroCodec.forType(DialogueReply.class, schemas);

  public DialogueBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** A benchmark phase's result: throughput and how many guesses hit the target. */
  private record Played(Throughput throughput, int successes, int games) {}

  public void run() throws Exception {
    ModelRepository repository = new ModelRepository(options.modelsDir());
    Path qgen = repository.versionDirectory("guesswhat-qgen", OptionalInt.empty());
    List<EvaluationGames.Game> games = new ArrayList<>();
    EvaluationGames.read(qgen.resolve(EvaluationGames.FILE)).values().forEach(games::addAll);
    int warmup = games.size() / 10;
    out.printf(
        "GuessWhat?! self-play, %d held-out games, %d at a time; device cpu, ORT intra-op threads"
            + " %d (0: all cores); each phase timed from its %d-th finished game to its last%n",
        games.size(), options.concurrentGames(), options.intraOpThreads(), warmup);
    // One unreported round of both phases first: each phase's own code (the Kafka and state paths
    // for the engine) is compiled before any round counts.
    out.println("warm-up round (not counted):");
    report(inProcess(repository, games, warmup));
    report(throughEngine(games, warmup, options.rounds()));
    List<Played> inProcess = new ArrayList<>();
    List<Played> engine = new ArrayList<>();
    for (int round = 0; round < options.rounds(); round++) {
      if (round % 2 == 0) {
        inProcess.add(report(inProcess(repository, games, warmup)));
        engine.add(report(throughEngine(games, warmup, round)));
      } else {
        engine.add(report(throughEngine(games, warmup, round)));
        inProcess.add(report(inProcess(repository, games, warmup)));
      }
    }
    double inProcessRate = meanRate(inProcess);
    double engineRate = meanRate(engine);
    out.printf(
        "in process, mean of %d rounds: %.1f games/s; engine: %.1f games/s%n",
        options.rounds(), inProcessRate, engineRate);
    out.printf("engine / in process: %.0f%%%n", 100 * engineRate / inProcessRate);
  }

  private Played report(Played played) {
    out.printf(
        "%-52s %8.1f games/s  %6.2f CPU ms/game  success %.3f%n",
        played.throughput().phase(),
        played.throughput().perSecond(),
        played.throughput().cpuMillisPerRecord(),
        played.successes() / (double) played.games());
    out.flush();
    return played;
  }

  private static double meanRate(List<Played> rounds) {
    return rounds.stream().mapToDouble(p -> p.throughput().perSecond()).average().orElseThrow();
  }

  private Played inProcess(ModelRepository repository, List<EvaluationGames.Game> games, int warmup)
      throws InterruptedException {
    SessionTuning tuning = new SessionTuning(options.intraOpThreads(), 0);
    List<BatchedModel> models = new ArrayList<>();
    try {
      ModelSession qgen =
          repository.open("guesswhat-qgen", OptionalInt.empty(), DevicePolicy.CPU, tuning);
      models.add(batched(qgen));
      models.add(batched(repository.openAuxiliary(qgen, "sceneEncoder", DevicePolicy.CPU, tuning)));
      for (String name : List.of("guesswhat-oracle", "guesswhat-guesser")) {
        models.add(batched(repository.open(name, OptionalInt.empty(), DevicePolicy.CPU, tuning)));
      }
      SelfPlay selfPlay =
          new SelfPlay(
              new Players(
                  GameSpec.fromMetadata(qgen.metadata()),
                  models.get(2),
                  models.get(0),
                  models.get(1),
                  models.get(3)));
      Semaphore window = new Semaphore(options.concurrentGames());
      List<CompletableFuture<Boolean>> outcomes = new ArrayList<>();
      // The clock starts when the warmup-th game finishes, as the engine's does on its outputs.
      AtomicInteger finished = new AtomicInteger();
      AtomicLong started = new AtomicLong();
      AtomicLong cpuStarted = new AtomicLong();
      for (int i = 0; i < games.size(); i++) {
        EvaluationGames.Game game = games.get(i);
        window.acquire();
        outcomes.add(
            selfPlay
                .play(game.selfPlayTurn("bench-" + i))
                .whenComplete(
                    (reply, failure) -> {
                      if (finished.incrementAndGet() == Math.max(1, warmup)) {
                        cpuStarted.set(Throughput.processCpuNanos());
                        started.set(System.nanoTime());
                      }
                      window.release();
                    })
                .thenApply(reply -> reply.getGuessedObjectId() == game.targetObjectId()));
      }
      int successes = (int) outcomes.stream().filter(CompletableFuture::join).count();
      double seconds = (System.nanoTime() - started.get()) / 1e9;
      double cpuSeconds = (Throughput.processCpuNanos() - cpuStarted.get()) / 1e9;
      return new Played(
          new Throughput(
              "in process (players + micro-batcher, no Kafka)",
              games.size() - Math.max(1, warmup),
              seconds,
              cpuSeconds),
          successes,
          games.size());
    } finally {
      models.forEach(BatchedModel::close);
    }
  }

  private BatchedModel batched(ModelSession session) {
    return new BatchedModel(session, options.batch(), BatchListener.NONE);
  }

  private Played throughEngine(List<EvaluationGames.Game> games, int warmup, int round)
      throws Exception {
    String prefix = "bench-dialogue-" + round + "-";
    try (Backlog backlog = new Backlog(options.bootstrap(), options.partitions())) {
      backlog.fill(
          prefix + "dialogue-turns",
          prefix + "dialogue-replies",
          games.size(),
          i -> {
            String gameId = "bench-" + i;
            return new Backlog.Keyed(gameId, turns.encode(games.get((int) i).selfPlayTurn(gameId)));
          });
      Throughput throughput;
      try (Engine engine =
          Engine.start(
              BenchSettings.withBatch(
                      ConfigBuilder.of(options.bootstrap(), options.modelsDir()), options.batch())
                  .pipeline(GuessWhatModule.NAME)
                  .set("topics.prefix", prefix)
                  .defaults("device", "cpu")
                  .defaults("intraOpThreads", options.intraOpThreads())
                  .defaults("batch.maxInFlight", options.concurrentGames())
                  .build())) {
        throughput =
            backlog.timeUntil(
                "engine through Kafka (turns, saved states, replies)",
                prefix + "dialogue-replies",
                warmup,
                games.size(),
                DEADLINE);
        out.printf("engine mean QGen batch size: %.1f%n", engine.metrics().get(0).meanBatchSize());
      }
      int successes = successes(prefix + "dialogue-replies", games, round);
      backlog.delete(
          prefix + "dialogue-turns", prefix + "dialogue-replies", prefix + "dialogue-state");
      return new Played(throughput, successes, games.size());
    }
  }

  private int successes(String topic, List<EvaluationGames.Game> games, int round) {
    Map<String, DialogueReply> byGame = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        Backlog.readerFromStart(options.bootstrap(), topic, "bench-dialogue-reader-" + round)) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (byGame.size() < games.size() && System.nanoTime() < end) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                record -> {
                  DialogueReply reply = replies.decode(record.value());
                  byGame.put(reply.getGameId(), reply);
                });
      }
    }
    int successes = 0;
    for (int i = 0; i < games.size(); i++) {
      DialogueReply reply = byGame.get("bench-" + i);
      if (reply != null
          && reply.getGuessedObjectId() != null
          && reply.getGuessedObjectId() == games.get(i).targetObjectId()) {
        successes++;
      }
    }
    return successes;
  }
}
