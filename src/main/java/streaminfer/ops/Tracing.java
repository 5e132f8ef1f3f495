package streaminfer.ops;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import streaminfer.stream.RecordTracer;

/**
 * The engine's OpenTelemetry: configured from the standard {@code OTEL_*} environment variables (or
 * {@code otel.*} system properties) when they name a trace exporter or an OTLP endpoint, and off
 * otherwise, so that an engine nobody asked to trace neither makes spans nor sends to a default
 * collector address. Metrics stay with Prometheus: the SDK exports traces only unless told
 * otherwise.
 */
public final class Tracing implements AutoCloseable {
  private static final List<String> EXPORTER_SETTINGS =
      List.of(
          "otel.traces.exporter",
          "otel.exporter.otlp.endpoint",
          "otel.exporter.otlp.traces.endpoint");

  // OTLP over HTTP: the jar carries the JDK's HTTP sender, not a gRPC one (OkHttp and Kotlin).
  private static final Map<String, String> DEFAULTS =
      Map.of(
          "otel.service.name", "streaminfer",
          "otel.exporter.otlp.protocol", "http/protobuf",
          "otel.metrics.exporter", "none",
          "otel.logs.exporter", "none");

  private final OpenTelemetrySdk sdk;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /** Tracing as this process's environment and system properties configure it. */
  public static Tracing fromEnvironment() {
    return from(System.getenv(), System.getProperties());
  }

  static Tracing from(Map<String, String> environment, Properties properties) {
    if (!exporterNamed(environment, properties)) {
      return new Tracing(null);
    }
    Map<String, String> settings = new HashMap<>(DEFAULTS);
    settings.putAll(fromEnvironment(environment, properties));
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> settings)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return new Tracing(sdk);
  }

  /** Whether spans are made and exported. */
  public boolean enabled() {
    return sdk != null;
  }

  /** The span maker of one pipeline's records ({@link RecordTracer#NONE} when tracing is off). */
  public RecordTracer recordTracer(String pipeline, String group) {
    return sdk == null ? RecordTracer.NONE : RecordTracer.of(sdk, pipeline, group);
  }

  /** Exports the spans still buffered, then stops the exporter. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.close();
    }
  }

  private static boolean exporterNamed(Map<String, String> environment, Properties properties) {
    Map<String, String> settings = fromEnvironment(environment, properties);
    String exporter = settings.get("otel.traces.exporter");
    if (exporter != null) {
      return !exporter.isBlank() && !exporter.trim().equals("none");
    }
    return EXPORTER_SETTINGS.stream().anyMatch(key -> settings.get(key) != null);
  }

  /**
   * The {@code otel.*} settings of {@code environment} (as {@code OTEL_*} variables) and {@code
   * properties}, properties winning. The SDK reads the real environment itself, over these; handing
   * them over too lets a test configure it without touching the process's environment.
   */
  private static Map<String, String> fromEnvironment(
      Map<String, String> environment, Properties properties) {
    Map<String, String> settings = new HashMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            settings.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("otel.")) {
        settings.put(name, properties.getProperty(name));
      }
    }
    return settings;
  }
}
