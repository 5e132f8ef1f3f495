package streaminfer.family.guesswhat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streaminfer.broker.KafkaBroker;
import streaminfer.config.ConfigBuilder;
import streaminfer.engine.Engine;
import streaminfer.v1.SceneObject;

/** {@code produce dialogue}'s consoles against the engine's dialogue pipeline on a real broker. */
class DialogueConsoleIntegrationTest {
  private static final List<SceneObject> SCENE =
      List.of(
          new SceneObject(1, "circle", "red", 0.05f, 0.05f, 0.2f, 0.2f),
          new SceneObject(2, "square", "blue", 0.7f, 0.1f, 0.9f, 0.3f),
          new SceneObject(3, "triangle", "green", 0.1f, 0.7f, 0.3f, 0.9f));

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();
  private Engine engine;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @BeforeEach
  void start() {
    engine =
        Engine.start(
            ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
                .pipeline("guesswhat")
                .build());
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private DialogueSession session() {
    return new DialogueSession(
        broker.bootstrapServers(), "dialogue-turns", "dialogue-replies", Duration.ofSeconds(30));
  }

  private static BufferedReader typed(String lines) {
    return new BufferedReader(new StringReader(lines));
  }

  @Test
  void aPersonAsksTheEnginesOracleAndLetsItsGuesserPick() throws Exception {
    try (DialogueSession session = session()) {
      Outcome outcome =
          new QuestionerConsole(
                  new GameTurns(session, "cli-questioner", SCENE),
                  3,
                  typed("is it green?\nis it a circle?\nblah blah\nask-engine\n"),
                  out)
              .play();
      String transcript = printed.toString(StandardCharsets.UTF_8);
      assertEquals(Outcome.FINISHED, outcome, transcript);
      assertTrue(transcript.contains("yes"), transcript);
      assertTrue(transcript.contains("no"), transcript);
      assertTrue(
          transcript.contains("refused"), "an unknown-words question is refused: " + transcript);
      assertTrue(transcript.contains("The engine guesses"), transcript);
    }
  }

  @Test
  void aPersonAnswersTheEnginesQuestionsUntilItGuesses() throws Exception {
    try (DialogueSession session = session()) {
      Outcome outcome =
          new OracleConsole(
                  new GameTurns(session, "cli-oracle", SCENE), 2, typed("y\n".repeat(9)), out)
              .play();
      String transcript = printed.toString(StandardCharsets.UTF_8);
      assertEquals(Outcome.FINISHED, outcome, transcript);
      assertTrue(transcript.contains("The engine asks: "), transcript);
      assertTrue(transcript.contains("The engine guesses"), transcript);
    }
  }
}
