package streaminfer.family.guesswhat.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import streaminfer.v1.OracleAnswer;

class OracleAnswersTest {
  @ParameterizedTest
  @CsvSource({
    "y, YES",
    "yes, YES",
    "Y, YES",
    "' Yes ', YES",
    "n, NO",
    "no, NO",
    "NO, NO",
    "na, NA",
    "n/a, NA",
    "N/A, NA"
  })
  void everyUsualSpellingOfAnAnswerIsUnderstood(String typed, OracleAnswer answer) {
    assertEquals(Optional.of(answer), OracleAnswers.parse(typed));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "maybe", "yess", "n a", "quit"})
  void anythingElseIsNoAnswer(String typed) {
    assertEquals(Optional.empty(), OracleAnswers.parse(typed));
  }
}
