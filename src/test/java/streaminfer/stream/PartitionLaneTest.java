package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionLaneTest {
  private final PartitionLane lane = new PartitionLane();

  @Test
  void releasesRecordsForProducingInOffsetOrderWhateverOrderTheyFinishIn() {
    PartitionLane.Slot first = lane.append(10, 0, "a", new byte[] {1});
    PartitionLane.Slot second = lane.append(11, 0, "b", new byte[] {2});
    PartitionLane.Slot third = lane.append(12, 0, "c", new byte[] {3});
    third.finish(new byte[] {30}, null);
    second.finish(new byte[] {20}, null);
    assertTrue(lane.takeSendable().isEmpty(), "records after an unfinished one were released");
    first.finish(new byte[] {10}, null);
    assertEquals(List.of(first, second, third), lane.takeSendable());
    assertTrue(lane.takeSendable().isEmpty(), "a record was released twice");
  }

  @Test
  void commitsOnlyPastRecordsThatAreAcknowledgedWithEveryRecordBeforeThem() {
    PartitionLane.Slot first = lane.append(10, 0, "a", new byte[0]);
    PartitionLane.Slot second = lane.append(11, 0, "b", new byte[0]);
    PartitionLane.Slot third = lane.append(12, 0, "c", new byte[0]);
    lane.acknowledge(third);
    lane.acknowledge(second);
    assertEquals(OptionalLong.empty(), lane.positionToCommit());
    lane.acknowledge(first);
    assertEquals(OptionalLong.of(13), lane.positionToCommit());
  }

  @Test
  void offersAPositionOnlyOnceItHasMovedPastTheCommittedOne() {
    PartitionLane.Slot first = lane.append(5, 0, "a", new byte[0]);
    lane.acknowledge(first);
    lane.markCommitted(6);
    assertEquals(OptionalLong.empty(), lane.positionToCommit());
    PartitionLane.Slot second = lane.append(6, 0, "b", new byte[0]);
    lane.acknowledge(second);
    assertEquals(OptionalLong.of(7), lane.positionToCommit());
  }

  @Test
  void keepsTheInputOnlyForRecordsThatFailed() {
    PartitionLane.Slot ok = lane.append(1, 0, "a", new byte[] {1});
    PartitionLane.Slot bad = lane.append(2, 0, "b", new byte[] {2});
    ok.finish(new byte[] {9}, null);
    bad.finish(null, new IllegalStateException("bad"));
    assertNull(ok.value());
    assertEquals(2, bad.value()[0]);
  }

  @Test
  void refusesOffsetsThatGoBackwards() {
    lane.append(7, 0, "a", new byte[0]);
    assertThrows(IllegalArgumentException.class, () -> lane.append(7, 0, "b", new byte[0]));
  }

  @Test
  void countsRecordsInFlightUntilAcknowledged() {
    PartitionLane.Slot first = lane.append(1, 0, "a", new byte[0]);
    lane.append(2, 0, "b", new byte[0]);
    assertEquals(2, lane.inFlight());
    lane.acknowledge(first);
    assertEquals(1, lane.inFlight());
  }
}
