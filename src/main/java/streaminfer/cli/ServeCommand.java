package streaminfer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import streaminfer.broker.BrokerConfig;
import streaminfer.broker.EmbeddedKafkaBroker;
import streaminfer.engine.Engine;
import streaminfer.engine.EngineConfig;
import streaminfer.ops.ConsoleReporter;
import streaminfer.runtime.DevicePolicy;

/** Runs the engine until SIGTERM/Ctrl-C, then drains and exits. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the model pipelines from Kafka to Kafka.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--bootstrap", description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(
      names = "--embedded-kafka",
      description = "Start a single-node KRaft broker in this process (loopback only).")
  boolean embeddedKafka;

  @Option(
      names = "--data-dir",
      defaultValue = "${java.io.tmpdir}/streaminfer-kafka",
      description = "Data directory of the embedded broker (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--broker-port", defaultValue = "9092", description = "Embedded broker port.")
  int brokerPort;

  @Option(names = "--models-dir", defaultValue = "models", description = "Model repository.")
  Path modelsDir;

  @Option(
      names = "--pipelines",
      split = ",",
      defaultValue = "dgex",
      description = "Pipelines to serve (default: ${DEFAULT-VALUE}).")
  List<String> pipelines;

  @Option(
      names = "--device",
      defaultValue = "prefer-gpu",
      description = "gpu, prefer-gpu or cpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Mixin BatchOptions batch;

  @Option(names = "--http-port", defaultValue = "8080", description = "Health and metrics port.")
  int httpPort;

  @Option(names = "--group-prefix", defaultValue = "streaminfer")
  String groupPrefix;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Put before topic names.")
  String topicPrefix;

  @Option(names = "--partitions", defaultValue = "3", description = "For topics it creates.")
  int partitions;

  @Option(names = "--schemas-dir", description = "Extra writer schemas (*.avsc) to accept.")
  Path schemasDir;

  @Option(
      names = "--max-frame-age-ms",
      defaultValue = "0",
      description = "Live mode: skip frames captured longer ago than this; 0 serves every frame.")
  long maxFrameAgeMillis;

  @Option(
      names = "--max-frame-pixels",
      defaultValue = "16777216",
      description = "Frames with more pixels are dead-lettered before decoding.")
  long maxFramePixels;

  @Option(
      names = "--game-idle-seconds",
      defaultValue = "600",
      description = "GuessWhat?!: evict a game after this long without a turn, with a notice.")
  long gameIdleSeconds;

  @Option(
      names = "--max-games",
      defaultValue = "100000",
      description = "GuessWhat?!: games kept at most; the least recently active go first.")
  int maxGames;

  @Option(
      names = "--demo",
      description = "Feed synthetic records and print live throughput and latency.")
  boolean demo;

  @Option(names = "--demo-rate", defaultValue = "300", description = "Demo records per second.")
  int demoRate;

  @Option(names = "--report-every-s", defaultValue = "2", description = "Console report period.")
  int reportEverySeconds;

  @Override
  public Integer call() throws Exception {
    if (embeddedKafka == (bootstrap != null)) {
      System.err.println("give exactly one of --bootstrap or --embedded-kafka");
      return 2;
    }
    EmbeddedKafkaBroker broker =
        embeddedKafka
            ? EmbeddedKafkaBroker.start(
                new BrokerConfig(dataDir, brokerPort, 0, partitions, java.util.Map.of()))
            : null;
    String servers = broker != null ? broker.bootstrapServers() : bootstrap;
    EngineConfig config =
        EngineConfig.builder(servers, modelsDir)
            .pipelines(pipelines)
            .devicePolicy(DevicePolicy.parse(device))
            .tuning(batch.tuning())
            .batch(batch.batchConfig(), batch.maxInFlight)
            .groupIdPrefix(groupPrefix)
            .httpPort(httpPort)
            .topicPrefix(topicPrefix)
            .topicPartitions(partitions)
            .schemasDir(Optional.ofNullable(schemasDir))
            .maxFrameAgeMillis(maxFrameAgeMillis)
            .maxFramePixels(maxFramePixels)
            .gameIdleMillis(java.time.Duration.ofSeconds(gameIdleSeconds).toMillis())
            .maxGames(maxGames)
            .build();
    Engine engine;
    try {
      engine = Engine.start(config);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    ConsoleReporter reporter = new ConsoleReporter(engine.metrics(), System.out);
    timers.scheduleAtFixedRate(
        reporter::report, reportEverySeconds, reportEverySeconds, TimeUnit.SECONDS);
    DemoFeed feed =
        demo ? DemoFeed.start(servers, modelsDir, pipelines, topicPrefix, demoRate) : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("draining...");
                  if (feed != null) {
                    feed.close();
                  }
                  timers.shutdownNow();
                  engine.close();
                  if (broker != null) {
                    broker.close();
                  }
                  System.out.println("drained: in-flight records produced and committed");
                  stopped.countDown();
                },
                "drain"));
    stopped.await();
    return 0;
  }
}
