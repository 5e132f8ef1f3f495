package streaminfer.bench;

/** One measured row of a benchmark table. */
record Throughput(String phase, long records, double seconds) {
  double perSecond() {
    return records / seconds;
  }
}
