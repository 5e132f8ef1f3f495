package streaminfer.family.guesswhat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import streaminfer.runtime.ModelMetadata;
import streaminfer.v1.OracleAnswer;

/**
 * What the three GuessWhat?! networks share, from their model.json: the token vocabulary, the
 * object feature layout (categories, colours, 8 spatial features) and the game's limits.
 */
public final class GameSpec {
  private static final String QUESTION_MARK = "?";

  private final List<String> tokens;
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> specials;
  private final List<String> categories;
  private final List<String> colours;
  private final int maxObjects;
  private final int maxQuestionTokens;
  private final int questionBudget;

  GameSpec(
      List<String> tokens,
      List<String> specials,
      List<String> categories,
      List<String> colours,
      int maxObjects,
      int maxQuestionTokens,
      int questionBudget) {
    this.tokens = List.copyOf(tokens);
    this.specials = List.copyOf(specials);
    this.categories = List.copyOf(categories);
    this.colours = List.copyOf(colours);
    this.maxObjects = maxObjects;
    this.maxQuestionTokens = maxQuestionTokens;
    this.questionBudget = questionBudget;
    for (int i = 0; i < tokens.size(); i++) {
      ids.put(tokens.get(i), i);
    }
    for (String required : List.of("<pad>", "<start>", "<stop>", "<yes>", "<no>", "<na>", "?")) {
      if (!ids.containsKey(required)) {
        throw new IllegalArgumentException("the vocabulary has no token " + required);
      }
    }
  }

  public static GameSpec fromMetadata(ModelMetadata metadata) {
    JsonNode document = metadata.document();
    return new GameSpec(
        texts(document.at("/vocabulary/tokens")),
        texts(document.at("/vocabulary/special")),
        texts(document.at("/features/categories")),
        texts(document.at("/features/colours")),
        document.at("/limits/maxObjects").asInt(),
        document.at("/limits/maxQuestionTokens").asInt(),
        document.at("/limits/questionBudget").asInt());
  }

  private static List<String> texts(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      throw new IllegalArgumentException("model.json lacks a GuessWhat?! vocabulary or features");
    }
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  /**
   * A question's token ids, ending in one "?": lower-cased, words outside the vocabulary dropped,
   * cut to {@code maxQuestionTokens}.
   *
   * @throws InvalidTurnException when no word of it is in the vocabulary
   */
  public int[] question(String text) {
    List<Integer> words = new ArrayList<>();
    for (String word : text.toLowerCase(Locale.ROOT).replace("?", " ").trim().split("\\s+")) {
      Integer id = ids.get(word);
      if (id != null && !specials.contains(word) && words.size() < maxQuestionTokens - 1) {
        words.add(id);
      }
    }
    if (words.isEmpty()) {
      throw new InvalidTurnException(
          "the question '" + text + "' has no word in the model's vocabulary " + words());
    }
    words.add(questionMark());
    return words.stream().mapToInt(Integer::intValue).toArray();
  }

  private List<String> words() {
    return tokens.stream().filter(token -> !specials.contains(token)).toList();
  }

  /** Token ids as text, words separated by spaces ("is it red ?"). */
  public String text(List<Integer> ids) {
    return String.join(" ", ids.stream().map(tokens::get).toList());
  }

  public int answerToken(OracleAnswer answer) {
    return switch (answer) {
      case YES -> id("<yes>");
      case NO -> id("<no>");
      case NA -> id("<na>");
    };
  }

  /** The answer a token carries, or null when it is no answer token. */
  public OracleAnswer answerOf(int token) {
    String text = tokens.get(token);
    return switch (text) {
      case "<yes>" -> OracleAnswer.YES;
      case "<no>" -> OracleAnswer.NO;
      case "<na>" -> OracleAnswer.NA;
      default -> null;
    };
  }

  public int id(String token) {
    return ids.get(token);
  }

  public int start() {
    return id("<start>");
  }

  public int stop() {
    return id("<stop>");
  }

  public int pad() {
    return id("<pad>");
  }

  public int questionMark() {
    return id(QUESTION_MARK);
  }

  public int vocabularySize() {
    return tokens.size();
  }

  public List<String> categories() {
    return categories;
  }

  public List<String> colours() {
    return colours;
  }

  public int maxObjects() {
    return maxObjects;
  }

  public int maxQuestionTokens() {
    return maxQuestionTokens;
  }

  public int questionBudget() {
    return questionBudget;
  }

  /** The longest dialogue the guesser reads: <start>, then per question its tokens and answer. */
  public int dialogueCapacity() {
    return 1 + questionBudget * (maxQuestionTokens + 1);
  }

  /** Features per object: one-hot category, one-hot colour, 8 spatial features. */
  public int objectFeatures() {
    return categories.size() + colours.size() + Scene.SPATIAL_FEATURES;
  }
}
