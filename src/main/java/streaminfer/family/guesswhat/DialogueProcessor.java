package streaminfer.family.guesswhat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import streaminfer.broker.Topics;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.family.InvalidInputException;
import streaminfer.stream.RecordProcessor;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.GameState;

/**
 * The GuessWhat?! pipeline: {@code dialogue-turns} to {@code dialogue-replies}, one reply per turn,
 * with every game's state in a {@link GameStore}.
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
  private final String repliesTopic;
  private final PartitionedSender sender;
  private final Map<String, CompletableFuture<?>> lastTurnOfGame = new HashMap<>();
  private final Scheduler evictor = Schedulers.newSingle("game-evictor", true);

  DialogueProcessor(
      AvroCodec<DialogueTurn> turns,
      AvroCodec<DialogueReply> replies,
      Players players,
      GameStore store,
      PartitionedSender sender,
      DialogueMetrics metrics,
      DialogueSettings settings) {
    this.turns = turns;
    this.replies = replies;
    this.referee = new Referee(players);
    this.store = store;
    this.sender = sender;
    this.metrics = metrics;
    this.clock = settings.clock();
    this.idleLimit = settings.idleLimit();
    this.maxGames = settings.maxGames();
    this.repliesTopic = settings.repliesTopic();
    metrics.gamesHeld(store::size);
    long sweep = Math.max(50, Math.min(10_000, idleLimit.toMillis() / 4));
    evictor.schedulePeriodically(this::evictIdleGames, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /**
   * Creates the compacted state topic when missing (as many partitions as {@code turnsTopic}, so
   * every turn partition has its state partition) and starts the processor.
   */
  public static DialogueProcessor start(
      Players players,
      DialogueMetrics metrics,
      WriterSchemas schemas,
      String turnsTopic,
      DialogueSettings settings) {
    int partitions = Topics.partitions(settings.kafka(), turnsTopic);
    Topics.ensure(
        settings.kafka(),
        List.of(settings.stateTopic()),
        partitions,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    int statePartitions = Topics.partitions(settings.kafka(), settings.stateTopic());
    if (statePartitions < partitions) {
      throw new IllegalStateException(
          settings.stateTopic()
              + " has "
              + statePartitions
              + " partitions but "
              + turnsTopic
              + " has "
              + partitions
              + "; the game state topic needs one partition per turns partition");
    }
    PartitionedSender sender = new PartitionedSender(settings.kafka());
    GameStore store =
        new GameStore(
            settings.kafka(),
            settings.stateTopic(),
            AvroCodec.forType(GameState.class, schemas),
            players.spec(),
            sender);
    return new DialogueProcessor(
        AvroCodec.forType(DialogueTurn.class, schemas),
        AvroCodec.forType(DialogueReply.class, schemas),
        players,
        store,
        sender,
        metrics,
        settings);
  }

  @Override
  public CompletionStage<byte[]> process(int partition, String key, byte[] value) {
    DialogueTurn turn = turns.decode(value);
    if (key == null || !key.equals(turn.getGameId())) {
      throw new InvalidInputException(
          "a turn must be keyed by its gameId ('"
              + turn.getGameId()
              + "'), was '"
              + key
              + "': a game's turns must share a partition to stay in order");
    }
    return store
        .restored(partition)
        .thenCompose(ready -> inOrder(turn.getGameId(), () -> handle(partition, turn)));
  }

  @Override
  public void partitionsAssigned(Set<Integer> partitions) {
    partitions.forEach(store::restored);
  }

  @Override
  public void partitionsRevoked(Set<Integer> partitions) {
    store.forget(partitions);
  }

  private CompletableFuture<byte[]> handle(int partition, DialogueTurn turn) {
    long now = clock.millis();
    Game game = store.get(turn.getGameId());
    if (game != null && turn.getSeq() < game.firstSeq) {
      return error(turn, "seq " + turn.getSeq() + " is before the game's first turn");
    }
    if (game != null && turn.getSeq() < game.nextSeq) {
      metrics.replayed();
      return CompletableFuture.completedFuture(game.replyTo(turn.getSeq()));
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
                return new Referee.Outcome(
                    Referee.error(turn, invalid.getMessage()), game == null ? null : game.copy());
              }
              if (cause != null) {
                throw new CompletionException(cause);
              }
              return outcome;
            })
        .thenCompose(outcome -> save(partition, outcome, now));
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
    try {
      long cutoff = clock.millis() - idleLimit.toMillis();
      for (GameStore.Entry entry : store.evictable(cutoff, maxGames)) {
        inOrder(entry.game().gameId, () -> evict(entry, cutoff)).join();
      }
    } catch (RuntimeException e) {
      LOG.warn("evicting idle games failed; retried at the next sweep", e);
    }
  }

  /** Drops the game unless a turn came meanwhile; a game not over gets an EVICTED notice. */
  private CompletableFuture<Void> evict(GameStore.Entry entry, long cutoff) {
    Game game = store.get(entry.game().gameId);
    boolean overCapacity = store.size() > maxGames;
    if (game == null || (game.lastActivityMillis >= cutoff && !overCapacity)) {
      return CompletableFuture.completedFuture(null);
    }
    metrics.evicted(game.ended ? "ended" : overCapacity ? "capacity" : "idle");
    CompletableFuture<Void> notified = CompletableFuture.completedFuture(null);
    if (!game.ended) {
      String reason =
          overCapacity
              ? "evicted: the engine holds at most " + maxGames + " games"
              : "evicted: no turn for " + idleLimit.toSeconds() + " s";
      notified =
          sender.send(
              repliesTopic,
              entry.partition(),
              game.gameId,
              replies.encode(Referee.evicted(game, reason)));
    }
    return notified.thenCompose(sent -> store.delete(entry.partition(), game.gameId));
  }

  @Override
  public void close() {
    evictor.dispose();
    store.close();
    sender.close();
  }
}
