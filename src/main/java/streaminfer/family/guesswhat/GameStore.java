package streaminfer.family.guesswhat;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import streaminfer.codec.AvroCodec;
import streaminfer.stream.state.KeyValueStore;
import streaminfer.stream.state.StateCodec;
import streaminfer.stream.state.StateStores;
import streaminfer.v1.GameState;

/**
 * Every game's state: a typed view of the stream layer's store keyed by game id, whose changelog
 * holds {@link GameState} records. The stream layer restores a partition's games before its first
 * turn and drops them when the partition is revoked; a write for a revoked partition is refused.
 */
final class GameStore {
  private final KeyValueStore<Game> games;

  GameStore(StateStores stores, String name, AvroCodec<GameState> codec, GameSpec spec) {
    this.games =
        stores.open(
            name,
            new StateCodec<>() {
              @Override
              public byte[] encode(Game game) {
                return codec.encode(game.toState());
              }

              @Override
              public Game decode(byte[] bytes) {
                return Game.restore(codec.decode(bytes), spec);
              }
            });
  }

  Game get(int partition, String gameId) {
    return games.get(partition, gameId);
  }

  /** Keeps the game and completes once its state record is acknowledged by the broker. */
  CompletableFuture<Void> save(int partition, Game game) {
    return games.put(partition, game.gameId, game).toCompletableFuture();
  }

  /** Forgets the game and writes its tombstone. */
  CompletableFuture<Void> delete(int partition, String gameId) {
    return games.delete(partition, gameId).toCompletableFuture();
  }

  /** Games idle since before {@code cutoff}, then the oldest beyond {@code capacity}. */
  List<KeyValueStore.Entry<Game>> evictable(long cutoff, int capacity) {
    List<KeyValueStore.Entry<Game>> byAge =
        games.entries().stream()
            .sorted(Comparator.comparingLong(entry -> entry.value().lastActivityMillis))
            .toList();
    int overCapacity = Math.max(0, byAge.size() - capacity);
    return IntStream.range(0, byAge.size())
        .filter(i -> i < overCapacity || byAge.get(i).value().lastActivityMillis < cutoff)
        .mapToObj(byAge::get)
        .toList();
  }

  int size() {
    return games.size();
  }
}
