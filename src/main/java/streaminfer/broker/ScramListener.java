package streaminfer.broker;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.admin.ScramMechanism;

/**
 * A {@code SASL_PLAINTEXT} listener on 127.0.0.1 that authenticates clients with SCRAM.
 *
 * @param port the loopback port; 0 picks a free one on each start
 * @param mechanisms the SCRAM mechanisms the listener accepts; every user gets a credential for
 *     each
 * @param users user name to password; on every start the broker stores exactly these credentials
 *     (added or replaced), so a changed password takes effect on the next start
 */
public record ScramListener(int port, Set<ScramMechanism> mechanisms, Map<String, String> users) {
  /** Kafka's minimum for both mechanisms; the broker refuses fewer. */
  static final int ITERATIONS = 4096;

  public ScramListener {
    BrokerConfig.requirePort("SASL port", port);
    Objects.requireNonNull(mechanisms, "mechanisms must not be null");
    Objects.requireNonNull(users, "users must not be null");
    if (mechanisms.isEmpty() || mechanisms.contains(ScramMechanism.UNKNOWN)) {
      throw new IllegalArgumentException(
          "mechanisms must name SCRAM_SHA_256 and/or SCRAM_SHA_512, was " + mechanisms);
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a SCRAM listener needs at least one user");
    }
    users.forEach(
        (name, password) -> {
          if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("SCRAM user names must not be blank");
          }
          if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("SCRAM user '" + name + "' has an empty password");
          }
        });
    mechanisms = Set.copyOf(EnumSet.copyOf(mechanisms));
    // Insertion order kept: the first user is the one the broker's start-up probe logs in as.
    users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
  }

  /** A free port, both SCRAM mechanisms, these users. */
  public static ScramListener of(Map<String, String> users) {
    return new ScramListener(
        0, EnumSet.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512), users);
  }

  /** Passwords stay out of logs and assertion messages. */
  @Override
  public String toString() {
    return "ScramListener[port="
        + port
        + ", mechanisms="
        + mechanisms
        + ", users="
        + users.keySet()
        + "]";
  }
}
