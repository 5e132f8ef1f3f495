package streaminfer.broker;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code SSL} listener on 127.0.0.1.
 *
 * @param port the loopback port; 0 picks a free one on each start
 * @param keystore the broker's key and certificate chain, PKCS12; clients verify the certificate's
 *     subject alternative names against the address they dial, so it should hold IP:127.0.0.1
 * @param keystorePassword the store's password, also used for the key (as PKCS12 stores do)
 * @param truststore PKCS12 store of the certificates (or CAs) that client certificates must chain
 *     to; required when {@code requireClientCertificate}, otherwise empty
 * @param truststorePassword the truststore's password, empty when there is no truststore
 * @param requireClientCertificate mutual TLS: refuse clients that present no trusted certificate
 */
public record TlsListener(
    int port,
    Path keystore,
    String keystorePassword,
    Optional<Path> truststore,
    Optional<String> truststorePassword,
    boolean requireClientCertificate) {

  public TlsListener {
    BrokerConfig.requirePort("TLS port", port);
    Objects.requireNonNull(keystore, "keystore must not be null");
    Objects.requireNonNull(keystorePassword, "keystorePassword must not be null");
    Objects.requireNonNull(truststore, "truststore must not be null (use Optional.empty())");
    Objects.requireNonNull(truststorePassword, "truststorePassword must not be null");
    if (truststore.isPresent() != truststorePassword.isPresent()) {
      throw new IllegalArgumentException(
          "truststore and truststorePassword must be given together");
    }
    if (requireClientCertificate && truststore.isEmpty()) {
      throw new IllegalArgumentException(
          "requiring client certificates needs a truststore to check them against");
    }
    keystore = keystore.toAbsolutePath().normalize();
    truststore = truststore.map(p -> p.toAbsolutePath().normalize());
  }

  /** Server-only TLS on a free port: clients need no certificate of their own. */
  public static TlsListener serverOnly(Path keystore, String keystorePassword) {
    return new TlsListener(
        0, keystore, keystorePassword, Optional.empty(), Optional.empty(), false);
  }

  /** Mutual TLS on a free port: clients must present a certificate {@code truststore} trusts. */
  public static TlsListener mutual(
      Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
    return new TlsListener(
        0,
        keystore,
        keystorePassword,
        Optional.of(truststore),
        Optional.of(truststorePassword),
        true);
  }

  /** Passwords stay out of logs and assertion messages. */
  @Override
  public String toString() {
    return "TlsListener[port="
        + port
        + ", keystore="
        + keystore
        + ", truststore="
        + truststore.map(Path::toString).orElse("none")
        + ", requireClientCertificate="
        + requireClientCertificate
        + "]";
  }
}
