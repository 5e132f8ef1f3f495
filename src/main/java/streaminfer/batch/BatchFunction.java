package streaminfer.batch;

import java.util.List;

/** Runs a whole batch; returns one result per request, in request order. */
@FunctionalInterface
public interface BatchFunction<T, R> {
  List<R> apply(List<T> requests);
}
