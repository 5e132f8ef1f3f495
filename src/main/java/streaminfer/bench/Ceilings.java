package streaminfer.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pipeline's engine rate beside the ceilings measured in the same run (raw ORT, the family
 * pipeline in process, a Kafka pass-through), all in outputs per second: the headline is the engine
 * over the lowest ceiling, the slowest stage the engine cannot avoid.
 *
 * @param ceilings each ceiling's rate by name, in the order they are printed
 */
public record Ceilings(String pipeline, Map<String, Double> ceilings, double engine) {
  public Ceilings {
    if (ceilings.isEmpty()) {
      throw new IllegalArgumentException(pipeline + ": a headline needs at least one ceiling");
    }
    ceilings.forEach(
        (name, rate) -> {
          if (!(rate > 0)) {
            throw new IllegalArgumentException(
                pipeline + ": ceiling '" + name + "' must be a positive rate, was " + rate);
          }
        });
    ceilings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ceilings));
  }

  /** The name of the lowest ceiling (the first listed, on a tie). */
  public String binding() {
    String lowest = null;
    for (Map.Entry<String, Double> entry : ceilings.entrySet()) {
      if (lowest == null || entry.getValue() < ceilings.get(lowest)) {
        lowest = entry.getKey();
      }
    }
    return lowest;
  }

  public double minimum() {
    return ceilings.get(binding());
  }

  /** Engine / lowest ceiling: the figure the engine is judged by (goal: at least 0.9). */
  public double headline() {
    return engine / minimum();
  }

  /** Engine / the named ceiling. */
  public double ratio(String ceiling) {
    Double rate = ceilings.get(ceiling);
    if (rate == null) {
      throw new IllegalArgumentException(pipeline + ": no ceiling '" + ceiling + "'");
    }
    return engine / rate;
  }
}
