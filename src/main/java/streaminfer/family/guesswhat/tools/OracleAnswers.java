package streaminfer.family.guesswhat.tools;

import java.util.Locale;
import java.util.Optional;
import streaminfer.v1.OracleAnswer;

/** The oracle's answers as a person types and reads them. */
final class OracleAnswers {
  private OracleAnswers() {}

  /** YES for "y" or "yes", NO for "n" or "no", NA for "na" or "n/a"; empty for anything else. */
  static Optional<OracleAnswer> parse(String typed) {
    return switch (typed.strip().toLowerCase(Locale.ROOT)) {
      case "y", "yes" -> Optional.of(OracleAnswer.YES);
      case "n", "no" -> Optional.of(OracleAnswer.NO);
      case "na", "n/a" -> Optional.of(OracleAnswer.NA);
      default -> Optional.empty();
    };
  }

  static String word(OracleAnswer answer) {
    return switch (answer) {
      case YES -> "yes";
      case NO -> "no";
      case NA -> "n/a";
    };
  }
}
