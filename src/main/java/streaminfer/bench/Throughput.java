package streaminfer.bench;

import java.lang.management.ManagementFactory;

/**
 * One measured row of a benchmark table.
 *
 * @param cpuSeconds CPU time this process (engine, embedded broker and client together) spent over
 *     the same interval: what the rate costs, whatever else shares the cores
 */
public record Throughput(String phase, long records, double seconds, double cpuSeconds) {
  public double perSecond() {
    return records / seconds;
  }

  /** CPU milliseconds per record. */
  public double cpuMillisPerRecord() {
    return 1e3 * cpuSeconds / records;
  }

  /** This process's CPU time so far, nanoseconds. */
  public static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
