package streaminfer.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.function.ToDoubleBiFunction;
import streaminfer.v1.Detection;

/**
 * Pairs up the objects two results found in one input, as object-detection evaluation does: every
 * candidate pair of the same kind (class) whose overlap reaches the minimum, best overlap first,
 * each object in at most one pair. Shared by every family whose results are boxes or masks.
 */
public final class BoxMatching {
  private BoxMatching() {}

  /** A pair of one object from each side and their overlap. */
  public record Match<D>(D a, D b, double overlap) {}

  /**
   * The matching of two results' objects.
   *
   * @param matched pairs, best overlap first
   * @param onlyInA objects of A with no partner in B ("missing"), in A's order
   * @param onlyInB objects of B with no partner in A ("new"), in B's order
   */
  public record Matching<D>(List<Match<D>> matched, List<D> onlyInA, List<D> onlyInB) {}

  /**
   * Greedy matching: all pairs with {@code sameKind} and {@code overlap >= minOverlap}, sorted by
   * overlap descending (ties: lower index in A, then in B, so the result does not depend on sort
   * stability), taken while both objects are free.
   */
  public static <D> Matching<D> match(
      List<D> a,
      List<D> b,
      BiPredicate<D, D> sameKind,
      ToDoubleBiFunction<D, D> overlap,
      double minOverlap) {
    record Candidate(int i, int j, double overlap) {}
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      for (int j = 0; j < b.size(); j++) {
        if (sameKind.test(a.get(i), b.get(j))) {
          double o = overlap.applyAsDouble(a.get(i), b.get(j));
          if (o >= minOverlap) {
            candidates.add(new Candidate(i, j, o));
          }
        }
      }
    }
    candidates.sort(
        Comparator.comparingDouble(Candidate::overlap)
            .reversed()
            .thenComparingInt(Candidate::i)
            .thenComparingInt(Candidate::j));
    boolean[] takenA = new boolean[a.size()];
    boolean[] takenB = new boolean[b.size()];
    List<Match<D>> matched = new ArrayList<>();
    for (Candidate c : candidates) {
      if (!takenA[c.i()] && !takenB[c.j()]) {
        takenA[c.i()] = true;
        takenB[c.j()] = true;
        matched.add(new Match<>(a.get(c.i()), b.get(c.j()), c.overlap()));
      }
    }
    List<D> onlyInA = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!takenA[i]) {
        onlyInA.add(a.get(i));
      }
    }
    List<D> onlyInB = new ArrayList<>();
    for (int j = 0; j < b.size(); j++) {
      if (!takenB[j]) {
        onlyInB.add(b.get(j));
      }
    }
    return new Matching<>(List.copyOf(matched), List.copyOf(onlyInA), List.copyOf(onlyInB));
  }

  /**
   * Intersection over union of two boxes given by their corners ({@code min <= max}); two boxes
   * without area are 1 when they are the same and 0 otherwise.
   */
  public static double iou(
      double aXMin,
      double aYMin,
      double aXMax,
      double aYMax,
      double bXMin,
      double bYMin,
      double bXMax,
      double bYMax) {
    double w = Math.min(aXMax, bXMax) - Math.max(aXMin, bXMin);
    double h = Math.min(aYMax, bYMax) - Math.max(aYMin, bYMin);
    double intersection = w > 0 && h > 0 ? w * h : 0;
    double union =
        Math.max(0, aXMax - aXMin) * Math.max(0, aYMax - aYMin)
            + Math.max(0, bXMax - bXMin) * Math.max(0, bYMax - bYMin)
            - intersection;
    if (union > 0) {
      return intersection / union;
    }
    boolean same = aXMin == bXMin && aYMin == bYMin && aXMax == bXMax && aYMax == bYMax;
    return same ? 1 : 0;
  }

  /** A detection as a difference line names it: label, score and box. */
  public static String describe(Detection d) {
    return String.format(
        Locale.ROOT,
        "%s %.4f [%.3f %.3f %.3f %.3f]",
        d.getLabel(),
        d.getScore(),
        d.getXMin(),
        d.getYMin(),
        d.getXMax(),
        d.getYMax());
  }
}
