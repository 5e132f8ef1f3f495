package streaminfer.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates and PKCS12 stores for TLS tests, made at test time with the JDK's {@code
 * keytool}, so no key ever lands in the repository.
 *
 * <p>The broker's certificate names IP:127.0.0.1 and DNS:localhost, so clients may keep Kafka's
 * default host name verification. Each certificate is its own root: a truststore trusts a party by
 * holding its certificate.
 *
 * @param brokerKeystore the broker's key and certificate
 * @param brokerTruststore what the broker trusts: the client's certificate (for mutual TLS)
 * @param clientKeystore the client's key and certificate
 * @param clientTruststore what a client trusts: the broker's certificate
 * @param strangerTruststore a truststore that does not trust the broker (it holds the client's)
 * @param password the password of every store and key
 */
public record TestCertificates(
    Path brokerKeystore,
    Path brokerTruststore,
    Path clientKeystore,
    Path clientTruststore,
    Path strangerTruststore,
    String password) {

  private static final String PASSWORD = "test-store-password";
  private static final String ALIAS = "key";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  /** Makes every store in {@code dir}; the two key pairs are generated in parallel. */
  public static TestCertificates create(Path dir) {
    Path brokerKeystore = dir.resolve("broker.keystore.p12");
    Path clientKeystore = dir.resolve("client.keystore.p12");
    CompletableFuture<Void> broker =
        CompletableFuture.runAsync(
            () ->
                generateKeyPair(
                    brokerKeystore,
                    "CN=localhost",
                    "SAN=IP:127.0.0.1,DNS:localhost",
                    "serverAuth"));
    CompletableFuture<Void> client =
        CompletableFuture.runAsync(
            () ->
                generateKeyPair(clientKeystore, "CN=streaminfer-test-client", null, "clientAuth"));
    CompletableFuture.allOf(broker, client).join();
    TestCertificates certificates =
        new TestCertificates(
            brokerKeystore,
            dir.resolve("broker.truststore.p12"),
            clientKeystore,
            dir.resolve("client.truststore.p12"),
            dir.resolve("stranger.truststore.p12"),
            PASSWORD);
    trust(clientKeystore, certificates.brokerTruststore());
    trust(brokerKeystore, certificates.clientTruststore());
    trust(clientKeystore, certificates.strangerTruststore());
    return certificates;
  }

  /** Client properties for the TLS listener at {@code bootstrap}, trusting the broker. */
  public Map<String, String> clientProperties(String bootstrap) {
    return clientProperties(bootstrap, clientTruststore);
  }

  /** As {@link #clientProperties(String)}, also presenting the client's certificate. */
  public Map<String, String> mutualClientProperties(String bootstrap) {
    Map<String, String> props = new HashMap<>(clientProperties(bootstrap));
    props.put("ssl.keystore.type", "PKCS12");
    props.put("ssl.keystore.location", clientKeystore.toString());
    props.put("ssl.keystore.password", password);
    props.put("ssl.key.password", password);
    return Map.copyOf(props);
  }

  /** Client properties for the TLS listener at {@code bootstrap}, trusting only {@code store}. */
  public Map<String, String> clientProperties(String bootstrap, Path truststore) {
    return Map.of(
        "bootstrap.servers",
        bootstrap,
        "security.protocol",
        "SSL",
        "ssl.truststore.type",
        "PKCS12",
        "ssl.truststore.location",
        truststore.toString(),
        "ssl.truststore.password",
        password);
  }

  private static void generateKeyPair(
      Path keystore, String distinguishedName, String subjectAltNames, String extendedKeyUsage) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                // keytool is a JVM of its own; it runs for a moment, so skip the optimizing JIT.
                "-J-XX:TieredStopAtLevel=1",
                "-genkeypair",
                "-alias",
                ALIAS,
                // EC keys are generated in milliseconds; RSA ones can take a second on a busy core.
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                distinguishedName,
                "-validity",
                "2",
                "-ext",
                "EKU=" + extendedKeyUsage,
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
    if (subjectAltNames != null) {
      command.add("-ext");
      command.add(subjectAltNames);
    }
    run(command);
  }

  /** Writes a truststore holding the certificate of {@code keystore}'s key. */
  private static void trust(Path keystore, Path truststore) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      Certificate certificate = keys.getCertificate(ALIAS);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("trusted", certificate);
      try (OutputStream out = Files.newOutputStream(truststore)) {
        trusted.store(out, PASSWORD.toCharArray());
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not write truststore " + truststore, e);
    }
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool did not finish: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool failed ("
                + process.exitValue()
                + "): "
                + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
