package streaminfer.engine;

import java.util.List;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.SceneObject;

/**
 * A client playing the oracle honestly, by the game's rule: yes/no from the target's category,
 * colour or position, n/a when its centre is within 0.05 of the frame's middle line.
 */
public final class TrueOracle {
  private static final List<String> POSITIONS = List.of("left", "right", "top", "bottom");

  private TrueOracle() {}

  public static OracleAnswer answer(String question, SceneObject target) {
    for (String word : question.split("\\s+")) {
      if (POSITIONS.contains(word)) {
        boolean horizontal = word.equals("left") || word.equals("right");
        float centre =
            horizontal
                ? (target.getXMin() + target.getXMax()) / 2
                : (target.getYMin() + target.getYMax()) / 2;
        if (Math.abs(centre - 0.5f) < 0.05f) {
          return OracleAnswer.NA;
        }
        boolean low = centre < 0.5f;
        return low == (word.equals("left") || word.equals("top"))
            ? OracleAnswer.YES
            : OracleAnswer.NO;
      }
      if (word.equals(target.getCategory()) || word.equals(target.getColour())) {
        return OracleAnswer.YES;
      }
    }
    return OracleAnswer.NO;
  }
}
