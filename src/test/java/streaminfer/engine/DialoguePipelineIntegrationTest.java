package streaminfer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.config.ConfigBuilder;
import streaminfer.family.guesswhat.EvaluationGames;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ObjectProbability;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.QuestionAnswer;
import streaminfer.v1.ReplyStatus;
import streaminfer.v1.SceneObject;

/** The GuessWhat?! dialogue pipeline on a real broker with the three shipped models. */
class DialoguePipelineIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Path QGEN = Path.of("models/guesswhat-qgen/1");

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();

  private ConfigBuilder config() {
    return ConfigBuilder.of(broker.bootstrapServers(), Path.of("models")).pipeline("guesswhat");
  }

  private DialogueTestClient client() {
    return new DialogueTestClient(broker.bootstrapServers(), "dialogue-turns", "dialogue-replies");
  }

  private static DialogueTurn.Builder turn(String game, long seq, DialogueRole role) {
    return DialogueTurn.newBuilder().setGameId(game).setSeq(seq).setRole(role);
  }

  private static List<SceneObject> scene() {
    return List.of(
        new SceneObject(10, "circle", "red", 0.05f, 0.05f, 0.2f, 0.2f),
        new SceneObject(11, "square", "blue", 0.7f, 0.1f, 0.9f, 0.3f),
        new SceneObject(12, "triangle", "green", 0.1f, 0.7f, 0.3f, 0.9f),
        new SceneObject(13, "star", "yellow", 0.6f, 0.6f, 0.8f, 0.8f));
  }

  @Test
  void selfPlayThroughKafkaReproducesTheTrainersSuccessRateOnItsGames() throws Exception {
    Map<String, List<EvaluationGames.Game>> splits =
        EvaluationGames.read(QGEN.resolve(EvaluationGames.FILE));
    JsonNode trained =
        new ObjectMapper()
            .readTree(QGEN.resolve("model.json").toFile())
            .at("/training/success/reinforce/sampled");
    try (Engine engine = Engine.start(config().build());
        DialogueTestClient client = client()) {
      for (Map.Entry<String, List<EvaluationGames.Game>> split : splits.entrySet()) {
        List<EvaluationGames.Game> games = split.getValue();
        for (int i = 0; i < games.size(); i++) {
          client.send(games.get(i).selfPlayTurn(split.getKey() + "-" + i));
        }
        int successes = 0;
        double questions = 0;
        for (int i = 0; i < games.size(); i++) {
          DialogueReply reply = client.await(split.getKey() + "-" + i, 0, Duration.ofMinutes(5));
          assertEquals(ReplyStatus.ENDED, reply.getStatus(), reply.toString());
          successes += reply.getGuessedObjectId() == games.get(i).targetObjectId() ? 1 : 0;
          questions += reply.getDialogue().size();
          assertTrue(reply.getDialogue().size() <= 8, "the question budget is 8");
          for (QuestionAnswer asked : reply.getDialogue()) {
            String[] words = asked.getQuestion().split(" ");
            assertTrue(words.length <= 8, "a question has at most 8 tokens: " + asked);
            assertEquals("?", words[words.length - 1], asked.getQuestion());
          }
        }
        double rate = successes / (double) games.size();
        double expected = trained.at("/" + split.getKey() + "/success").asDouble();
        System.out.printf(
            "self-play through Kafka, %s: success %.3f over %d games (trainer %.3f), %.2f"
                + " questions (trainer %.2f)%n",
            split.getKey(),
            rate,
            games.size(),
            expected,
            questions / games.size(),
            trained.at("/" + split.getKey() + "/questions").asDouble());
        // Both sample their own dialogues of the same games: 0.05 is about 3.5 standard errors.
        assertEquals(expected, rate, 0.05, split.getKey());
      }
    }
  }

  @Test
  void answersAsksAndGuessesTurnByTurn() throws Exception {
    List<SceneObject> scene = scene();
    try (Engine engine = Engine.start(config().build());
        DialogueTestClient client = client()) {
      DialogueReply isRed =
          client.exchange(
              turn("q", 0, DialogueRole.ANSWER)
                  .setScene(scene)
                  .setTargetObjectId(10)
                  .setQuestion("Is it red?")
                  .build(),
              DEADLINE);
      assertEquals(ReplyStatus.OK, isRed.getStatus());
      assertEquals(OracleAnswer.YES, isRed.getAnswer());
      DialogueReply isSquare =
          client.exchange(
              turn("q", 1, DialogueRole.ANSWER).setQuestion("is it a square?").build(), DEADLINE);
      assertEquals(OracleAnswer.NO, isSquare.getAnswer());
      DialogueReply guess = client.exchange(turn("q", 2, DialogueRole.GUESS).build(), DEADLINE);
      assertEquals(ReplyStatus.ENDED, guess.getStatus());
      assertEquals(2, guess.getDialogue().size());
      assertEquals("is it red ?", guess.getDialogue().get(0).getQuestion());
      assertEquals(scene.size(), guess.getObjectProbabilities().size());
      double total =
          guess.getObjectProbabilities().stream()
              .mapToDouble(ObjectProbability::getProbability)
              .sum();
      assertEquals(1.0, total, 1e-4);
      assertEquals(10, guess.getGuessedObjectId(), "only object 10 is red");

      SceneObject target = scene.get(3);
      DialogueReply asked =
          client.exchange(turn("a", 0, DialogueRole.ASK).setScene(scene).build(), DEADLINE);
      long seq = 0;
      while (asked.getStatus() == ReplyStatus.OK) {
        assertTrue(asked.getQuestion().endsWith("?"), asked.getQuestion());
        seq++;
        asked =
            client.exchange(
                turn("a", seq, DialogueRole.ASK)
                    .setAnswer(TrueOracle.answer(asked.getQuestion(), target))
                    .build(),
                DEADLINE);
      }
      assertEquals(ReplyStatus.ENDED, asked.getStatus());
      assertNotNull(asked.getGuessedObjectId());
      assertEquals(seq, asked.getDialogue().size());
      assertTrue(seq <= 8, "the question budget is 8, asked " + seq);
    }
  }

  @Test
  void badTurnsGetClearErrorsAndLeaveTheGameAsItWas() throws Exception {
    List<SceneObject> tooMany = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      tooMany.add(new SceneObject(i, "circle", "red", 0f, 0f, 0.1f, 0.1f));
    }
    try (Engine engine = Engine.start(config().build());
        DialogueTestClient client = client()) {
      assertError(
          client.exchange(
              turn("ghost", 3, DialogueRole.ANSWER).setQuestion("is it red?").build(), DEADLINE),
          "unknown game");
      assertError(
          client.exchange(turn("big", 0, DialogueRole.ASK).setScene(tooMany).build(), DEADLINE),
          "at most 20");
      DialogueTurn first =
          turn("g", 0, DialogueRole.ANSWER)
              .setScene(scene())
              .setTargetObjectId(11)
              .setQuestion("is it blue?")
              .build();
      DialogueReply answered = client.exchange(first, DEADLINE);
      assertEquals(OracleAnswer.YES, answered.getAnswer());
      assertError(
          client.exchange(
              turn("g", 1, DialogueRole.ANSWER).setQuestion("¿qué es?").build(), DEADLINE),
          "no word in the model's vocabulary");
      assertError(
          client.exchange(
              turn("g", 5, DialogueRole.ANSWER).setQuestion("is it red?").build(), DEADLINE),
          "expected seq 2");
      assertError(
          client.exchange(
              turn("g", 2, DialogueRole.ASK).setAnswer(OracleAnswer.YES).build(), DEADLINE),
          "asked no question");

      client.send(first);
      DialogueTestClient.sleep(500);
      DialogueReply guess = client.exchange(turn("g", 3, DialogueRole.GUESS).build(), DEADLINE);
      assertEquals(ReplyStatus.ENDED, guess.getStatus());
      assertEquals(1, guess.getDialogue().size(), "the failed turns added nothing to the dialogue");
      List<byte[]> repliesToFirst = client.repliesTo("g", 0);
      assertEquals(2, repliesToFirst.size());
      assertArrayEquals(
          repliesToFirst.get(0), repliesToFirst.get(1), "a replayed turn, the same reply");
      assertEquals(5.0, engine.registry().counter("streaminfer.dialogue.turns.refused").count());
      assertEquals(1.0, engine.registry().counter("streaminfer.dialogue.turns.replayed").count());
      System.gc();
      assertEquals(
          1.0,
          engine.registry().get("streaminfer.dialogue.games").gauge().value(),
          "the games gauge outlives a garbage collection; only game g was started");

      client.sendRaw("g", new byte[] {1, 2, 3});
      List<?> letters =
          KafkaTestClients.consumeUntil(
              broker.bootstrapServers(), "dialogue-turns.dlq", DEADLINE, r -> r.size() >= 1);
      assertEquals(1, letters.size());
    }
  }

  @Test
  void evictsIdleGamesWithANoticeAndForgetsThemUntilTheSceneIsSentAgain() throws Exception {
    try (Engine engine =
            Engine.start(config().inPipeline("guesswhat", "settings.gameIdleSeconds", 1).build());
        DialogueTestClient client = client()) {
      DialogueReply asked =
          client.exchange(turn("idle", 0, DialogueRole.ASK).setScene(scene()).build(), DEADLINE);
      assertEquals(ReplyStatus.OK, asked.getStatus());
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (client.evictionNotices().isEmpty() && System.nanoTime() < end) {
        DialogueTestClient.sleep(50);
      }
      DialogueReply notice = client.evictionNotices().get(0);
      assertEquals("idle", notice.getGameId());
      assertEquals(ReplyStatus.EVICTED, notice.getStatus());
      assertEquals(
          1.0,
          engine.registry().counter("streaminfer.dialogue.games.evicted", "cause", "idle").count());
      assertError(
          client.exchange(
              turn("idle", 1, DialogueRole.ASK).setAnswer(OracleAnswer.NO).build(), DEADLINE),
          "unknown game");
      DialogueReply restarted =
          client.exchange(turn("idle", 2, DialogueRole.ASK).setScene(scene()).build(), DEADLINE);
      assertEquals(ReplyStatus.OK, restarted.getStatus(), "a turn with the scene starts it again");
    }
  }

  @Test
  void aRestartedEngineResumesAGameFromItsStoredState() throws Exception {
    SceneObject target = scene().get(1);
    List<String> questions = new ArrayList<>();
    try (DialogueTestClient client = client()) {
      DialogueReply asked;
      try (Engine engine = Engine.start(config().build())) {
        asked = client.exchange(turn("r", 0, DialogueRole.ASK).setScene(scene()).build(), DEADLINE);
        questions.add(asked.getQuestion());
      }
      try (Engine engine = Engine.start(config().build())) {
        DialogueReply next =
            client.exchange(
                turn("r", 1, DialogueRole.ASK)
                    .setAnswer(TrueOracle.answer(asked.getQuestion(), target))
                    .build(),
                DEADLINE);
        assertTrue(
            next.getStatus() == ReplyStatus.OK || next.getStatus() == ReplyStatus.ENDED,
            next.toString());
        DialogueReply guess =
            client.exchange(
                turn("r", 2, DialogueRole.GUESS)
                    .setAnswer(
                        next.getStatus() == ReplyStatus.OK
                            ? TrueOracle.answer(next.getQuestion(), target)
                            : null)
                    .build(),
                DEADLINE);
        if (next.getStatus() == ReplyStatus.OK) {
          assertEquals(ReplyStatus.ENDED, guess.getStatus(), guess.toString());
          assertEquals(2, guess.getDialogue().size());
          assertEquals(questions.get(0), guess.getDialogue().get(0).getQuestion());
        }
      }
    }
  }

  @Test
  void gamesMoveWithTheirPartitionsWhenASecondEngineJoinsAndTheFirstLeaves() throws Exception {
    List<EvaluationGames.Game> games =
        EvaluationGames.read(QGEN.resolve(EvaluationGames.FILE)).get("new_objects").subList(0, 30);
    long[] seqs = new long[games.size()];
    boolean[] over = new boolean[games.size()];
    try (DialogueTestClient client = client()) {
      Engine first = Engine.start(config().build());
      Engine second = null;
      try {
        for (int i = 0; i < games.size(); i++) {
          client.send(
              turn("moving-" + i, 0, DialogueRole.ASK).setScene(games.get(i).scene()).build());
        }
        for (int round = 0; !allTrue(over); round++) {
          assertTrue(round < 12, "games still open after 12 rounds");
          if (round == 1) {
            second = Engine.start(config().build());
          }
          if (round == 3) {
            first.close();
            first = null;
          }
          for (int i = 0; i < games.size(); i++) {
            if (over[i]) {
              continue;
            }
            DialogueReply reply = client.await("moving-" + i, seqs[i], DEADLINE);
            if (reply.getStatus() == ReplyStatus.ENDED) {
              over[i] = true;
              continue;
            }
            assertEquals(ReplyStatus.OK, reply.getStatus(), reply.toString());
            seqs[i]++;
            SceneObject target = games.get(i).scene().get(games.get(i).targetObjectId());
            client.send(
                turn("moving-" + i, seqs[i], DialogueRole.ASK)
                    .setAnswer(TrueOracle.answer(reply.getQuestion(), target))
                    .build());
          }
        }
      } finally {
        if (first != null) {
          first.close();
        }
        if (second != null) {
          second.close();
        }
      }
      for (int i = 0; i < games.size(); i++) {
        DialogueReply last = client.await("moving-" + i, seqs[i], DEADLINE);
        assertEquals(seqs[i], last.getDialogue().size(), "every answer reached the game's state");
        for (long seq = 0; seq <= seqs[i]; seq++) {
          List<byte[]> replies = client.repliesTo("moving-" + i, seq);
          for (byte[] again : replies) {
            assertArrayEquals(replies.get(0), again, "moving-" + i + " seq " + seq);
          }
        }
      }
    }
  }

  /**
   * The race this guards against: a turn in flight when its partition is revoked saved its game
   * after the revocation, so the old owner held (and later evicted) a game the new owner also held:
   * two EVICTED notices and two tombstones for one game.
   */
  @Test
  void anEngineThatLostAPartitionNeitherWritesNorEvictsTheGamesThatMovedWithIt() throws Exception {
    int idleSeconds = 2;
    int games = 24;
    int rounds = 6;
    ConfigBuilder idle = config().inPipeline("guesswhat", "settings.gameIdleSeconds", idleSeconds);
    Map<String, Integer> tombstonesByGame = new java.util.HashMap<>();
    try (DialogueTestClient client = client()) {
      Engine first = Engine.start(idle.build());
      Engine second = null;
      try {
        boolean[] over = new boolean[games];
        for (int i = 0; i < games; i++) {
          client.send(
              turn("moved-" + i, 0, DialogueRole.ANSWER)
                  .setScene(scene())
                  .setTargetObjectId(10)
                  .setQuestion("is it red?")
                  .build());
        }
        for (int round = 0; round <= rounds; round++) {
          if (round == 2) {
            // Turns keep flowing while the partitions move, so some are in flight on the first.
            second = Engine.start(idle.build());
          }
          for (int i = 0; i < games; i++) {
            if (over[i]) {
              continue;
            }
            DialogueReply reply = client.await("moved-" + i, round, DEADLINE);
            // A game idle through the rebalance may be evicted by its owner: it stops here.
            over[i] = reply.getStatus() != ReplyStatus.OK;
            if (!over[i] && round < rounds) {
              client.send(
                  turn("moved-" + i, round + 1, DialogueRole.ANSWER)
                      .setQuestion("is it a circle?")
                      .build());
            }
          }
        }
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (evictedGames(client).size() < games && System.nanoTime() < end) {
          DialogueTestClient.sleep(100);
        }
        assertEquals(games, evictedGames(client).size(), "every idle game is evicted once");
        // Room for a second, wrong eviction: two idle limits and a sweep.
        DialogueTestClient.sleep(2_000L * idleSeconds + 1_000);
        tombstonesByGame.putAll(tombstones());
      } finally {
        if (first != null) {
          first.close();
        }
        if (second != null) {
          second.close();
        }
      }
      Map<String, Long> notices = new java.util.HashMap<>();
      client.evictionNotices().forEach(notice -> notices.merge(notice.getGameId(), 1L, Long::sum));
      notices.forEach(
          (game, count) -> assertEquals(1L, count, game + " was evicted by two engines"));
      tombstonesByGame.forEach(
          (game, count) -> assertEquals(1, count, game + " got a tombstone from two engines"));
      assertEquals(games, tombstonesByGame.size());
    }
  }

  private static java.util.Set<String> evictedGames(DialogueTestClient client) {
    return client.evictionNotices().stream()
        .map(DialogueReply::getGameId)
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void aGameThatKeepsRefusingTurnsEndsInsteadOfGrowingItsStoredState() throws Exception {
    int limit = 4;
    try (Engine engine =
            Engine.start(
                config().inPipeline("guesswhat", "settings.maxTurnsPerGame", limit).build());
        DialogueTestClient client = client()) {
      client.send(
          turn("spam", 0, DialogueRole.ANSWER)
              .setScene(scene())
              .setTargetObjectId(10)
              .setQuestion("is it red?")
              .build());
      assertEquals(ReplyStatus.OK, client.await("spam", 0, DEADLINE).getStatus());
      for (int seq = 1; seq <= 10; seq++) {
        // A running game refuses a second scene; each refusal uses up its seq until the limit.
        client.send(
            turn("spam", seq, DialogueRole.ANSWER)
                .setScene(scene())
                .setQuestion("is it red?")
                .build());
      }
      for (int seq = 1; seq < limit - 1; seq++) {
        assertError(
            client.await("spam", seq, DEADLINE), "the scene is set by the game's first turn");
      }
      assertError(client.await("spam", limit - 1, DEADLINE), "the game ends");
      assertError(client.await("spam", limit, DEADLINE), "is over");
      for (int seq = limit + 1; seq <= 10; seq++) {
        assertEquals(ReplyStatus.ERROR, client.await("spam", seq, DEADLINE).getStatus());
      }
    }
    long saved = stateRecords().stream().filter(record -> "spam".equals(record.key())).count();
    assertEquals(limit, saved, "one state record per kept turn, none after the game ended");
  }

  /** Tombstones on the game state topic, by game. */
  private Map<String, Integer> tombstones() {
    Map<String, Integer> byGame = new java.util.HashMap<>();
    stateRecords().stream()
        .filter(record -> record.value() == null)
        .forEach(record -> byGame.merge(record.key(), 1, Integer::sum));
    return byGame;
  }

  /** Everything on the game state topic, read until two polls in a row bring nothing new. */
  private List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> stateRecords() {
    long[] seen = {0};
    return KafkaTestClients.consumeUntil(
        broker.bootstrapServers(),
        "dialogue-state",
        DEADLINE,
        records -> {
          boolean settled = records.size() == seen[0] && seen[0] > 0;
          seen[0] = records.size();
          return settled;
        });
  }

  private static boolean allTrue(boolean[] values) {
    for (boolean value : values) {
      if (!value) {
        return false;
      }
    }
    return true;
  }

  private static void assertError(DialogueReply reply, String reason) {
    assertEquals(ReplyStatus.ERROR, reply.getStatus(), reply.toString());
    assertTrue(reply.getError().contains(reason), reply.getError());
    assertNull(reply.getAnswer());
  }
}
