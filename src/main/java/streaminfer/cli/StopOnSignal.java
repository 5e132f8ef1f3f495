package streaminfer.cli;

/**
 * Lets SIGTERM and Ctrl-C end a client command cleanly: the hook asks the work to stop and waits
 * until the command has finished it (files closed, transactions committed).
 */
final class StopOnSignal {
  private StopOnSignal() {}

  private static final long WAIT_MILLIS = 30_000;

  static Thread install(Runnable stop) {
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              stop.run();
              try {
                main.join(WAIT_MILLIS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "stop-on-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  static void remove(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it waits for this thread, which is about to end.
    }
  }
}
