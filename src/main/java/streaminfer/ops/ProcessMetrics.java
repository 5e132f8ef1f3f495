package streaminfer.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The process's own meters: JVM memory (how close to {@code -Xmx} a load runs), GC pauses, threads,
 * class loading, CPU, uptime and file descriptors, as Micrometer names them ({@code jvm_*}, {@code
 * process_*}, {@code system_*}). Closing stops listening to GC notifications.
 */
public final class ProcessMetrics implements AutoCloseable {
  private final JvmGcMetrics gc;

  private ProcessMetrics(JvmGcMetrics gc) {
    this.gc = gc;
  }

  public static ProcessMetrics bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return new ProcessMetrics(gc);
  }

  @Override
  public void close() {
    gc.close();
  }
}
