package streaminfer.family.guesswhat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.InvalidInputException;
import streaminfer.stream.Emitter;
import streaminfer.stream.Output;
import streaminfer.stream.RecordProcessor;
import streaminfer.stream.state.KeyValueStore;
import streaminfer.stream.state.PartitionRevokedException;
import streaminfer.stream.state.StateStores;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.GameState;

/**
 * The GuessWhat?! pipeline: {@code dialogue-turns} to {@code dialogue-replies}, one reply per turn,
 * with every game's state in a {@link GameStore} (the stream layer's store, restored before a
 * partition's first turn) and idle games evicted by a timer, their notices sent through the stream
 * layer's {@link Emitter}; both refuse writes for partitions this engine no longer owns.
 *
 * <p>Each turn is handled after the previous turn of its game; its game state (with the reply) is
 * saved before the reply is released to the stream layer. A redelivered turn (seq already handled)
 * gets the saved reply again, byte for byte, and changes nothing. A turn the game cannot take gets
 * an ERROR reply; on a running game it uses up its seq (so a redelivery is answered the same way)
 * and leaves the game otherwise as it was; a failed first turn starts no game (the next turn may
 * carry the scene again, under any seq). Undecodable records and failed inference are dead-lettered
 * by the stream layer.
 */
public final class DialogueProcessor implements RecordProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(DialogueProcessor.class);
  private static final CompletableFuture<Object> DONE = CompletableFuture.completedFuture(null);

  private final AvroCodec<DialogueTurn> turns;
  private final AvroCodec<DialogueReply> replies;
  private final Referee referee;
  private final GameStore store;
  private final DialogueMetrics metrics;
  private final Clock clock;
  private final Duration idleLimit;
  private final int maxGames;
  private final int maxTurnsPerGame;
  private final String repliesTopic;
  private final Emitter emitter;
  private final Map<String, CompletableFuture<?>> lastTurnOfGame = new HashMap<>();
  private final Scheduler evictor = Schedulers.newSingle("game-evictor", true);

  DialogueProcessor(
      AvroCodec<DialogueTurn> turns,
      AvroCodec<DialogueReply> replies,
      Players players,
      GameStore store,
      Emitter emitter,
      DialogueMetrics metrics,
      DialogueSettings settings) {
    this.turns = turns;
    this.replies = replies;
    this.referee = new Referee(players);
    this.store = store;
    this.emitter = emitter;
    this.metrics = metrics;
    this.clock = settings.clock();
    this.idleLimit = settings.idleLimit();
    this.maxGames = settings.maxGames();
    this.maxTurnsPerGame = settings.maxTurnsPerGame();
    this.repliesTopic = settings.repliesTopic();
    metrics.gamesHeld(store::size);
    long sweep = Math.max(50, Math.min(10_000, idleLimit.toMillis() / 4));
    evictor.schedulePeriodically(this::evictIdleGames, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /** Opens the games' store ({@code stateTopic}, in the stream layer) and starts the processor. */
  public static DialogueProcessor start(
      Players players,
      DialogueMetrics metrics,
      WriterSchemas schemas,
      StateStores stores,
      Emitter emitter,
      String stateTopic,
      DialogueSettings settings) {
    GameStore store =
        new GameStore(
            stores, stateTopic, AvroCodec.forType(GameState.class, schemas), players.spec());
    return new DialogueProcessor(
        AvroCodec.forType(DialogueTurn.class, schemas),
        AvroCodec.forType(DialogueReply.class, schemas),
        players,
        store,
        emitter,
        metrics,
        settings);
  }

  @Override
  public CompletionStage<List<Output>> process(int partition, String key, byte[] value) {
    DialogueTurn turn = turns.decode(value);
    if (key == null || !key.equals(turn.getGameId())) {
      throw new InvalidInputException(
          "a turn must be keyed by its gameId ('"
              + turn.getGameId()
              + "'), was '"
              + key
              + "': a game's turns must share a partition to stay in order");
    }
    return inOrder(turn.getGameId(), () -> handle(partition, turn))
        .thenApply(reply -> Output.one(repliesTopic, reply));
  }

  private CompletableFuture<byte[]> handle(int partition, DialogueTurn turn) {
    long now = clock.millis();
    Game game = store.get(partition, turn.getGameId());
    if (game != null && turn.getSeq() < game.firstSeq) {
      return error(turn, "seq " + turn.getSeq() + " is before the game's first turn");
    }
    if (game != null && turn.getSeq() < game.nextSeq) {
      metrics.replayed();
      return CompletableFuture.completedFuture(game.replyTo(turn.getSeq()));
    }
    if (game != null && game.ended) {
      // Answered, not saved: an ended game never changes, so a redelivery gets the same bytes.
      return error(turn, "game " + game.gameId + " is over");
    }
    if (game == null && turn.getScene() == null) {
      return error(
          turn,
          "unknown game "
              + turn.getGameId()
              + ": no game state (a game's first turn carries the scene; idle games are evicted)");
    }
    if (game != null && turn.getSeq() > game.nextSeq) {
      return error(turn, "turn out of sequence: expected seq " + game.nextSeq);
    }
    Game current;
    try {
      current = game != null ? game : referee.open(turn, now);
    } catch (InvalidTurnException invalid) {
      return error(turn, invalid.getMessage());
    }
    CompletableFuture<Referee.Outcome> played;
    try {
      played = referee.play(current, turn, now);
    } catch (InvalidTurnException invalid) {
      played = CompletableFuture.failedFuture(invalid);
    }
    return played
        .handle(
            (outcome, failure) -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof InvalidTurnException invalid) {
                metrics.refused();
                return refused(turn, invalid.getMessage(), game);
              }
              if (cause != null) {
                throw new CompletionException(cause);
              }
              return outcome;
            })
        .thenCompose(outcome -> save(partition, outcome, now));
  }

  /**
   * A refused turn uses up its seq on a running game (so a redelivery is answered the same way),
   * and its reply is stored; the turn that reaches the game's turn limit ends the game instead, so
   * refused turns cannot grow the stored state without bound.
   */
  private Referee.Outcome refused(DialogueTurn turn, String reason, Game game) {
    if (game == null) {
      return new Referee.Outcome(Referee.error(turn, reason), null);
    }
    Game kept = game.copy();
    if (kept.replies.size() + 1 >= maxTurnsPerGame) {
      kept.ended = true;
      reason += "; the game ends: it reached its limit of " + maxTurnsPerGame + " turns";
    }
    return new Referee.Outcome(Referee.error(turn, reason), kept);
  }

  /** Saves the game with its reply (no game: a first turn that failed creates none). */
  private CompletableFuture<byte[]> save(int partition, Referee.Outcome outcome, long now) {
    byte[] reply = replies.encode(outcome.reply());
    Game game = outcome.game();
    if (game == null) {
      return CompletableFuture.completedFuture(reply);
    }
    game.replies.add(reply);
    game.nextSeq = outcome.reply().getSeq() + 1;
    game.lastActivityMillis = now;
    return store.save(partition, game).thenApply(saved -> reply);
  }

  private CompletableFuture<byte[]> error(DialogueTurn turn, String reason) {
    metrics.refused();
    return CompletableFuture.completedFuture(replies.encode(Referee.error(turn, reason)));
  }

  /** Runs {@code work} once every earlier turn (or eviction) of the game has finished. */
  private <T> CompletableFuture<T> inOrder(String gameId, Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> next;
    synchronized (lastTurnOfGame) {
      CompletableFuture<?> previous = lastTurnOfGame.getOrDefault(gameId, DONE);
      next = previous.handle((value, failure) -> null).thenCompose(ignored -> work.get());
      lastTurnOfGame.put(gameId, next);
    }
    CompletableFuture<T> registered = next;
    next.whenComplete(
        (value, failure) -> {
          synchronized (lastTurnOfGame) {
            lastTurnOfGame.remove(gameId, registered);
          }
        });
    return next;
  }

  private void evictIdleGames() {
    long cutoff = clock.millis() - idleLimit.toMillis();
    for (KeyValueStore.Entry<Game> entry : store.evictable(cutoff, maxGames)) {
      try {
        inOrder(entry.key(), () -> evict(entry, cutoff)).join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof PartitionRevokedException) {
          // The game moved with its partition: its new owner evicts it.
          LOG.debug("not evicting {}: {}", entry.key(), e.getCause().getMessage());
        } else {
          LOG.warn("evicting {} failed; retried at the next sweep", entry.key(), e);
        }
      } catch (RuntimeException e) {
        LOG.warn("evicting {} failed; retried at the next sweep", entry.key(), e);
      }
    }
  }

  /** Drops the game unless a turn came meanwhile; a game not over gets an EVICTED notice. */
  private CompletableFuture<Void> evict(KeyValueStore.Entry<Game> entry, long cutoff) {
    Game game = store.get(entry.partition(), entry.key());
    boolean overCapacity = store.size() > maxGames;
    if (game == null || (game.lastActivityMillis >= cutoff && !overCapacity)) {
      return CompletableFuture.completedFuture(null);
    }
    metrics.evicted(game.ended ? "ended" : overCapacity ? "capacity" : "idle");
    String reason =
        overCapacity
            ? "evicted: the engine holds at most " + maxGames + " games"
            : "evicted: no turn for " + idleLimit.toSeconds() + " s";
    // Notice and tombstone go out together: a revocation between them would leave the new owner
    // a game whose player was already told it is gone, and it would be evicted a second time.
    return emitter
        .<Void>together(
            entry.partition(),
            () -> {
              CompletableFuture<Void> notified =
                  game.ended
                      ? CompletableFuture.completedFuture(null)
                      : emitter
                          .send(
                              entry.partition(),
                              repliesTopic,
                              game.gameId,
                              replies.encode(Referee.evicted(game, reason)))
                          .toCompletableFuture();
              CompletableFuture<Void> deleted =
                  store.delete(entry.partition(), game.gameId).toCompletableFuture();
              return CompletableFuture.allOf(notified, deleted);
            })
        .toCompletableFuture();
  }

  @Override
  public void close() {
    evictor.dispose();
  }
}
