package streaminfer.stream;

/** What the stream layer reports; implemented by the ops package. Called on the event loop. */
public interface StreamMetrics {
  void received(int partition, long offset);

  void produced(long recordTimestampMillis);

  void deadLettered(String reason);

  /** A record the processor chose not to answer (a stale input in live mode). */
  void skipped();

  void inFlight(int records);

  StreamMetrics NONE =
      new StreamMetrics() {
        @Override
        public void received(int partition, long offset) {}

        @Override
        public void produced(long recordTimestampMillis) {}

        @Override
        public void deadLettered(String reason) {}

        @Override
        public void skipped() {}

        @Override
        public void inFlight(int records) {}
      };
}
