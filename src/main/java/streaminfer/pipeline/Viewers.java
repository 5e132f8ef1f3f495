package streaminfer.pipeline;

import streaminfer.family.Drawable;

/**
 * Who watches a pipeline's answers live (the dashboard), as the pipeline sees it: a gate it asks
 * before it draws anything, so that an unwatched pipeline pays one volatile read per answer.
 *
 * <p>Threading: called from inference workers, concurrently; implementations are thread-safe.
 */
public interface Viewers {
  /** Whether anyone watches now; when not, the pipeline asks nothing else. */
  boolean watched();

  /**
   * Counts one answer of the moment's stream (its rate and latency) and says whether its picture is
   * wanted now: the stream's last picture is older than the sampling interval.
   */
  boolean served(Drawable.Moment moment);

  /** The picture of an answer {@link #served} asked for. */
  void show(Drawable.Picture picture);

  Viewers NONE =
      new Viewers() {
        @Override
        public boolean watched() {
          return false;
        }

        @Override
        public boolean served(Drawable.Moment moment) {
          return false;
        }

        @Override
        public void show(Drawable.Picture picture) {}
      };
}
