package streaminfer.stream;

import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import streaminfer.stream.KafkaConnectionException.Reason;

/**
 * Checks, before the engine starts its pipelines, that the Kafka client properties reach a cluster
 * and are accepted by it: one admin {@code describeCluster} call, bounded in time, with the same
 * properties every consumer and producer will get. A failure becomes one {@link
 * KafkaConnectionException} saying what to fix, instead of every client logging its own retries.
 */
public final class KafkaPreflight {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private static final String CLIENT_ID = "streaminfer-preflight";
  // Time past the call's own deadline before giving up on the admin client's answer itself.
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Pattern JAAS_USERNAME =
      Pattern.compile("\\busername\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;]+))");

  private KafkaPreflight() {}

  /** As {@link #check(Map, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public static String check(Map<String, String> clientProperties) {
    return check(clientProperties, DEFAULT_TIMEOUT);
  }

  /**
   * Asks the cluster at {@code bootstrap.servers} to describe itself.
   *
   * <p>Authentication and TLS failures end the call at once (Kafka clients treat them as fatal for
   * a request rather than retrying); an unreachable cluster ends it at {@code timeout}.
   *
   * @return the cluster id
   * @throws KafkaConnectionException if the properties are invalid, the cluster does not answer in
   *     time, or it refuses the credentials, the TLS handshake or the request
   */
  public static String check(Map<String, String> clientProperties, Duration timeout) {
    Objects.requireNonNull(clientProperties, "clientProperties must not be null");
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout must be positive and below 24 days: " + timeout);
    }
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    String where =
        clientProperties.getOrDefault(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "(no address)");

    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (RuntimeException e) {
      throw new KafkaConnectionException(
          Reason.MISCONFIGURED,
          "Kafka client properties are invalid: "
              + innermostMessage(e)
              + hintForMissingJaas(clientProperties),
          e);
    }
    try {
      DescribeClusterOptions options =
          new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
      return admin
          .describeCluster(options)
          .clusterId()
          .get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure(clientProperties, where, timeout, e.getCause());
    } catch (TimeoutException e) {
      throw unreachable(clientProperties, where, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaConnectionException(
          Reason.UNREACHABLE, "Interrupted while checking the connection to Kafka at " + where, e);
    } finally {
      // Nothing is in flight worth waiting for once the answer (or the failure) is known.
      admin.close(Duration.ZERO);
    }
  }

  private static KafkaConnectionException failure(
      Map<String, String> props, String where, Duration timeout, Throwable cause) {
    if (cause instanceof SaslAuthenticationException) {
      return new KafkaConnectionException(
          Reason.AUTHENTICATION_FAILED,
          "Kafka at "
              + where
              + " rejected the SASL credentials of user "
              + user(props)
              + " (mechanism "
              + mechanism(props)
              + "): authentication failed. Check the user name and password in sasl.jaas.config."
              + " The broker said: "
              + cause.getMessage(),
          cause);
    }
    if (cause instanceof SslAuthenticationException) {
      return new KafkaConnectionException(
          Reason.TLS_HANDSHAKE_FAILED, tlsMessage(props, where, cause), cause);
    }
    if (cause instanceof AuthenticationException) {
      return new KafkaConnectionException(
          Reason.AUTHENTICATION_FAILED,
          "Kafka at "
              + where
              + " refused to authenticate user "
              + user(props)
              + " (security.protocol "
              + protocol(props)
              + ", mechanism "
              + mechanism(props)
              + "): "
              + cause.getMessage(),
          cause);
    }
    if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return unreachable(props, where, timeout, cause);
    }
    return new KafkaConnectionException(
        Reason.REFUSED,
        "Kafka at "
            + where
            + " refused the connection check ("
            + cause.getClass().getSimpleName()
            + "): "
            + cause.getMessage(),
        cause);
  }

  private static String tlsMessage(Map<String, String> props, String where, Throwable cause) {
    String prefix = "TLS handshake with Kafka at " + where + " failed: ";
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof CertPathBuilderException || message.contains("PKIX path")) {
        return prefix
            + "the broker's certificate is not trusted by "
            + props.getOrDefault("ssl.truststore.location", "the JVM's default truststore")
            + " (set ssl.truststore.location to a store holding the broker's CA). Cause: "
            + message;
      }
      if (message.contains("No subject alternative") || message.contains("No name matching")) {
        return prefix
            + "the broker's certificate does not name the address dialled ("
            + message
            + "); use a host name the certificate lists in bootstrap.servers";
      }
      String lower = message.toLowerCase(Locale.ROOT);
      if (lower.contains("bad_certificate") || lower.contains("certificate_required")) {
        return prefix
            + "the broker refused this client's certificate, or wants one and got none"
            + " (mutual TLS: set ssl.keystore.location to a certificate the broker trusts). Cause: "
            + message;
      }
    }
    return prefix + innermostMessage(cause);
  }

  private static KafkaConnectionException unreachable(
      Map<String, String> props, String where, Duration timeout, Throwable cause) {
    return new KafkaConnectionException(
        Reason.UNREACHABLE,
        "Kafka at "
            + where
            + " did not answer within "
            + timeout.toMillis()
            + " ms: check bootstrap.servers, that the broker runs, and that security.protocol ("
            + protocol(props)
            + ") is the one its listener speaks",
        cause);
  }

  /** Kafka's client constructors fail with a wrapper whose own message says little. */
  private static String innermostMessage(Throwable e) {
    Throwable innermost = e;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    return innermost.getMessage() == null
        ? innermost.getClass().getSimpleName()
        : innermost.getMessage();
  }

  private static String hintForMissingJaas(Map<String, String> props) {
    return protocol(props).startsWith("SASL") && !props.containsKey(SaslConfigs.SASL_JAAS_CONFIG)
        ? " (security.protocol " + protocol(props) + " needs sasl.jaas.config)"
        : "";
  }

  private static String protocol(Map<String, String> props) {
    return props.getOrDefault(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL);
  }

  private static String mechanism(Map<String, String> props) {
    return props.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
  }

  private static String user(Map<String, String> props) {
    Matcher matcher = JAAS_USERNAME.matcher(props.getOrDefault(SaslConfigs.SASL_JAAS_CONFIG, ""));
    if (!matcher.find()) {
      return "(none named in sasl.jaas.config)";
    }
    String user = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    return "'" + user + "'";
  }
}
