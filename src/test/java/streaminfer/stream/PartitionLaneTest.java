package streaminfer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionLaneTest {
  private final PartitionLane lane = new PartitionLane(true);

  @Test
  void releasesRecordsForProducingInOffsetOrderWhateverOrderTheyFinishIn() {
    PartitionLane.Slot first = lane.append(10, 0, "a", new byte[] {1});
    PartitionLane.Slot second = lane.append(11, 0, "b", new byte[] {2});
    PartitionLane.Slot third = lane.append(12, 0, "c", new byte[] {3});
    third.finish(Output.one("out", new byte[] {30}), null);
    second.finish(Output.one("out", new byte[] {20}), null);
    assertTrue(lane.takeSendable().isEmpty(), "records after an unfinished one were released");
    first.finish(Output.one("out", new byte[] {10}), null);
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
  void keepsTheInputOfASucceededRecordSoARefusedOutputCanDeadLetterIt() {
    PartitionLane.Slot ok = lane.append(1, 0, "a", new byte[] {1});
    ok.finish(Output.one("out", new byte[] {9}), null);
    assertTrue(ok.refuse(new IllegalStateException("too large")));
    assertEquals(1, ok.value()[0]);
  }

  @Test
  void aRecordIsAnsweredOnlyOnceEveryOneOfItsOutputsIsAcknowledged() {
    PartitionLane.Slot three = lane.append(1, 0, "a", new byte[0]);
    three.finish(
        List.of(
            new Output("x", null, new byte[] {1}),
            new Output("y", "other", new byte[] {2}),
            new Output("x", null, new byte[] {3})),
        null);
    assertFalse(three.outputAcknowledged());
    assertFalse(three.outputAcknowledged());
    assertTrue(three.outputAcknowledged(), "the third acknowledgement completes the record");
  }

  @Test
  void commitsPastARecordWithSeveralOutputsOnlyOnceAllAreAcknowledged() {
    PartitionLane.Slot none = lane.append(1, 0, "a", new byte[0]);
    PartitionLane.Slot one = lane.append(2, 0, "b", new byte[0]);
    PartitionLane.Slot three = lane.append(3, 0, "c", new byte[0]);
    none.finish(List.of(), null);
    one.finish(Output.one("x", new byte[] {1}), null);
    three.finish(
        List.of(
            new Output("x", null, new byte[0]),
            new Output("y", null, new byte[0]),
            new Output("y", null, new byte[0])),
        null);
    assertEquals(List.of(none, one, three), lane.takeSendable());
    lane.acknowledge(none);
    assertEquals(OptionalLong.of(2), lane.positionToCommit());
    assertTrue(one.outputAcknowledged());
    lane.acknowledge(one);
    three.outputAcknowledged();
    three.outputAcknowledged();
    assertEquals(
        OptionalLong.of(3), lane.positionToCommit(), "two of three outputs are not enough");
    assertTrue(three.outputAcknowledged());
    lane.acknowledge(three);
    assertEquals(OptionalLong.of(4), lane.positionToCommit());
  }

  @Test
  void deadLettersARecordOnceHoweverManyOfItsOutputsAreRefused() {
    PartitionLane.Slot slot = lane.append(1, 0, "a", new byte[] {7});
    slot.finish(
        List.of(new Output("x", null, new byte[0]), new Output("x", null, new byte[0])), null);
    assertTrue(slot.refuse(new IllegalStateException("first")));
    assertFalse(slot.refuse(new IllegalStateException("second")));
    assertFalse(slot.outputAcknowledged(), "a refused record is never answered");
    assertEquals("first", slot.failure().getMessage());
  }

  @Test
  void holdsAStatefulPartitionsRecordsUntilItsStateIsRestoredAndReleasesThemInOrder() {
    PartitionLane stateful = new PartitionLane(false);
    PartitionLane.Slot first = stateful.append(1, 0, "a", new byte[0]);
    PartitionLane.Slot second = stateful.append(2, 0, "b", new byte[0]);
    assertFalse(stateful.stateRestored());
    stateful.hold(first);
    assertTrue(stateful.startRestore());
    stateful.hold(second);
    assertFalse(stateful.startRestore(), "one restore at a time");
    assertEquals(List.of(first, second), stateful.restoreEnded(true));
    assertTrue(stateful.stateRestored());
  }

  @Test
  void aFailedRestoreReleasesTheHeldRecordsAndLetsTheNextRecordRetry() {
    PartitionLane stateful = new PartitionLane(false);
    PartitionLane.Slot first = stateful.append(1, 0, "a", new byte[0]);
    stateful.hold(first);
    stateful.startRestore();
    assertEquals(List.of(first), stateful.restoreEnded(false));
    assertFalse(stateful.stateRestored());
    assertTrue(stateful.startRestore(), "the next record starts another restore");
  }

  @Test
  void timesOutOnlyUnfinishedRecordsPastTheirDeadlineAndIgnoresTheirLateOutcome() {
    PartitionLane.Slot stuck = lane.append(1, 0, "a", new byte[0], 100);
    PartitionLane.Slot finished = lane.append(2, 0, "b", new byte[0], 110);
    PartitionLane.Slot recent = lane.append(3, 0, "c", new byte[0], 200);
    finished.finish(List.of(), null);
    assertEquals(List.of(stuck), lane.overdue(160, 50));
    assertTrue(stuck.timeOut(new RecordTimeoutException(50)));
    assertFalse(stuck.timeOut(new RecordTimeoutException(50)), "timed out twice");
    assertEquals(List.of(stuck, finished), lane.takeSendable());
    assertFalse(stuck.finish(Output.one("out", new byte[] {1}), null), "a late outcome counted");
    assertTrue(stuck.failure() instanceof RecordTimeoutException);
    assertEquals(List.of(recent), lane.overdue(250, 50));
    assertThrows(IllegalStateException.class, () -> finished.finish(List.of(), null));
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
