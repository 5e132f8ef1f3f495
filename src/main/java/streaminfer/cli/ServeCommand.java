package streaminfer.cli;

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
import streaminfer.config.BrokerSettings;
import streaminfer.config.EngineSettings;
import streaminfer.engine.Engine;
import streaminfer.ops.ConsoleReporter;

/** Runs the engine until SIGTERM/Ctrl-C, then drains and exits. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the configured pipelines from Kafka to Kafka.")
final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Option(
      names = "--demo",
      description = "Feed synthetic records and print live throughput and latency.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    EngineSettings settings = config.load();
    BrokerSettings brokerSettings = settings.broker();
    EmbeddedKafkaBroker broker =
        brokerSettings.enabled()
            ? EmbeddedKafkaBroker.start(
                new BrokerConfig(
                    brokerSettings.dataDir(),
                    brokerSettings.port(),
                    0,
                    brokerSettings.partitions(),
                    java.util.Map.of()))
            : null;
    EngineSettings served =
        broker != null ? settings.withBootstrap(broker.bootstrapServers()) : settings;
    Engine engine;
    try {
      engine = Engine.start(served);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    int period = served.ops().reportEverySeconds();
    if (period > 0) {
      ConsoleReporter reporter = new ConsoleReporter(engine.metrics(), System.out);
      timers.scheduleAtFixedRate(reporter::report, period, period, TimeUnit.SECONDS);
    }
    DemoFeed feed = demo ? DemoFeed.start(served) : null;
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
