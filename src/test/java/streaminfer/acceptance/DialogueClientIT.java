package streaminfer.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streaminfer.engine.DialogueTestClient;
import streaminfer.engine.TrueOracle;
import streaminfer.family.guesswhat.EvaluationGames;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.ReplyStatus;

/**
 * 100 concurrent GuessWhat?! games against the packaged engine, a client playing the oracle in
 * each; the engine is SIGKILLed mid-way and started again.
 */
class DialogueClientIT {
  private static final int GAMES = 100;
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path dataDir;
  private EngineProcess engine;

  @BeforeEach
  void startBrokerAndEngine() throws Exception {
    engine = new EngineProcess(dataDir, "dialogue-turns", List.of("--pipelines", "guesswhat"));
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
  }

  /** One game as the client plays it: the next seq to send and whether it is over. */
  private static final class Played {
    final String id;
    final EvaluationGames.Game game;
    long seq;
    boolean over;

    Played(String id, EvaluationGames.Game game) {
      this.id = id;
      this.game = game;
    }
  }

  @Test
  void everyGameFinishesAfterAKillAndNoTurnIsAnsweredTwiceDifferently() throws Exception {
    List<EvaluationGames.Game> games =
        EvaluationGames.read(Path.of("models/guesswhat-qgen/1", EvaluationGames.FILE))
            .get("new_scenes")
            .subList(0, GAMES);
    List<Played> played = new ArrayList<>();
    try (DialogueTestClient client =
        new DialogueTestClient(engine.bootstrapServers(), "dialogue-turns", "dialogue-replies")) {
      for (int i = 0; i < GAMES; i++) {
        Played game = new Played("game-" + i, games.get(i));
        played.add(game);
        client.send(
            DialogueTurn.newBuilder()
                .setGameId(game.id)
                .setSeq(0)
                .setRole(DialogueRole.ASK)
                .setScene(game.game.scene())
                .build());
      }
      int turnsBeforeKill = GAMES * 3;
      int answered = 0;
      boolean killed = false;
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (played.stream().anyMatch(game -> !game.over)) {
        assertTrue(
            System.nanoTime() < end,
            "games still open after " + DEADLINE + "; log: " + engine.log());
        boolean progressed = false;
        for (Played game : played) {
          List<byte[]> replies = game.over ? List.of() : client.repliesTo(game.id, game.seq);
          if (replies.isEmpty()) {
            continue;
          }
          progressed = true;
          answered++;
          DialogueReply reply = client.decode(replies.get(0));
          if (reply.getStatus() == ReplyStatus.ENDED) {
            game.over = true;
            continue;
          }
          assertEquals(ReplyStatus.OK, reply.getStatus(), reply.toString());
          game.seq++;
          client.send(
              DialogueTurn.newBuilder()
                  .setGameId(game.id)
                  .setSeq(game.seq)
                  .setRole(DialogueRole.ASK)
                  .setAnswer(
                      TrueOracle.answer(
                          reply.getQuestion(), game.game.scene().get(game.game.targetObjectId())))
                  .build());
        }
        if (!killed && answered >= turnsBeforeKill) {
          engine.kill();
          killed = true;
          engine.start();
        }
        if (!progressed) {
          DialogueTestClient.sleep(20);
        }
      }
      assertTrue(killed, "the engine was never killed: only " + answered + " turns");
      DialogueTestClient.sleep(3_000);
      int duplicates = 0;
      int successes = 0;
      for (Played game : played) {
        for (long seq = 0; seq <= game.seq; seq++) {
          List<byte[]> replies = client.repliesTo(game.id, seq);
          assertTrue(!replies.isEmpty(), game.id + " seq " + seq + " has no reply");
          for (byte[] again : replies.subList(1, replies.size())) {
            assertArrayEquals(
                replies.get(0), again, game.id + " seq " + seq + " answered twice differently");
            duplicates++;
          }
        }
        DialogueReply last = client.decode(client.repliesTo(game.id, game.seq).get(0));
        successes += last.getGuessedObjectId() == game.game.targetObjectId() ? 1 : 0;
      }
      System.out.printf(
          "%d games finished across a SIGKILL: %d turns, %d redelivered replies (all identical),"
              + " %d guessed right%n",
          GAMES, answered, duplicates, successes);
    }
  }
}
