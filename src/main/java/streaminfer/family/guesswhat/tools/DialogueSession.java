package streaminfer.family.guesswhat.tools;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;

/**
 * Turns to the engine and replies back over Kafka: each turn is produced keyed by its gameId, and
 * the replies topic is read, from where it ended when the session opened, until the reply with the
 * same gameId and seq shows up. Replies to other games, or to earlier seqs, are passed over.
 */
final class DialogueSession implements TurnExchange, AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final AvroCodec<DialogueTurn> turns =
      AvroCodec.forType(DialogueTurn.class, WriterSchemas.v1());
  private final AvroCodec<DialogueReply> replies =
      AvroCodec.forType(DialogueReply.class, WriterSchemas.v1());
  private final String turnsTopic;
  private final String repliesTopic;
  private final Duration timeout;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;

  /** Opens the session; the replies topic must exist, since its partitions are read directly. */
  DialogueSession(String bootstrap, String turnsTopic, String repliesTopic, Duration timeout) {
    this(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        turnsTopic,
        repliesTopic,
        timeout);
  }

  /**
   * @param client Kafka client properties: bootstrap, security and any other the user gave
   */
  DialogueSession(
      Map<String, String> client, String turnsTopic, String repliesTopic, Duration timeout) {
    this.turnsTopic = turnsTopic;
    this.repliesTopic = repliesTopic;
    this.timeout = timeout;
    Map<String, Object> producerProperties = new HashMap<>(client);
    producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    this.producer =
        new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer());
    // No group: this reader wants every partition, from now on, and has nothing to commit.
    Map<String, Object> consumerProperties = new HashMap<>(client);
    consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(repliesTopic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      close();
      throw new IllegalStateException("topic " + repliesTopic + " has no partitions");
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // seekToEnd is lazy; asking for the positions fixes them now, before any turn is sent, so a
    // fast reply cannot land below them.
    partitions.forEach(consumer::position);
  }

  @Override
  public DialogueReply exchange(DialogueTurn turn) throws TimeoutException, InterruptedException {
    String gameId = turn.getGameId();
    try {
      producer.send(new ProducerRecord<>(turnsTopic, gameId, turns.encode(turn))).get();
    } catch (ExecutionException e) {
      throw new KafkaException(
          "could not send turn " + turn.getSeq() + " of game " + gameId, e.getCause());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        if (gameId.equals(record.key())) {
          DialogueReply reply = replies.decode(record.value());
          if (reply.getGameId().equals(gameId) && reply.getSeq() == turn.getSeq()) {
            return reply;
          }
        }
      }
    }
    throw new TimeoutException(
        String.format(
            "no reply to turn %d of game %s on %s within %d s; is the engine serving the"
                + " guesswhat pipeline on %s?",
            turn.getSeq(), gameId, repliesTopic, timeout.toSeconds(), turnsTopic));
  }

  @Override
  public void close() {
    producer.close();
    consumer.close();
  }
}
