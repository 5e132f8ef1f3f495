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
}
