package streaminfer.stream.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InMemoryStoresTest {
  @Test
  void writesCompleteAtOnceAndAreReadBack() {
    KeyValueStore<byte[]> store = new InMemoryStores().open("games", StateCodec.BYTES);

    assertTrue(store.put(2, "g1", new byte[] {7}).toCompletableFuture().isDone());
    assertEquals(7, store.get(2, "g1")[0]);
    assertEquals(1, store.size());
    assertEquals(2, store.entries().get(0).partition());

    store.delete(2, "g1").toCompletableFuture().join();
    assertNull(store.get(2, "g1"));
    assertEquals("games", store.topic());
  }

  @Test
  void clearingForgetsTheEntriesOfEveryStoreOpened() {
    InMemoryStores stores = new InMemoryStores();
    KeyValueStore<byte[]> games = stores.open("games", StateCodec.BYTES);
    KeyValueStore<byte[]> other = stores.open("other", StateCodec.BYTES);
    games.put(0, "g", new byte[] {1});
    other.put(1, "o", new byte[] {2});

    stores.clear();

    assertNull(games.get(0, "g"));
    assertEquals(0, other.size());
  }
}
