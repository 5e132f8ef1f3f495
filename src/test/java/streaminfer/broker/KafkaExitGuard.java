package streaminfer.broker;

import org.apache.kafka.common.utils.internals.Exit;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Turns an embedded broker's fatal fault into a failure of the test that caused it. Kafka halts the
 * JVM on one (a KRaft log that cannot be written, say), which would end the whole test run with
 * nothing but "the forked VM terminated"; here the faulting broker thread throws instead, with
 * Kafka's reason, and the rest of the run goes on.
 */
public final class KafkaExitGuard implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Exit.setHaltProcedure(KafkaExitGuard::refuse);
    Exit.setExitProcedure(KafkaExitGuard::refuse);
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    Exit.resetHaltProcedure();
    Exit.resetExitProcedure();
  }

  private static void refuse(int status, String message) {
    AssertionError fault =
        new AssertionError("Kafka tried to end the JVM with status " + status + ": " + message);
    fault.printStackTrace();
    throw fault;
  }
}
