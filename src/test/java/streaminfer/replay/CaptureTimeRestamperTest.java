package streaminfer.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;
import streaminfer.v1.GenePanel;

class CaptureTimeRestamperTest {
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, schemas);

  @Test
  void movesAFramesCaptureTimeForwardByHowMuchLaterItIsReplayed() {
    Frame frame =
        Frame.newBuilder()
            .setStreamId("cam-1")
            .setSeq(7)
            .setCaptureTimeMicros(1_000_000_000L)
            .setWidth(2)
            .setHeight(1)
            .setEncoding(FrameEncoding.RGB24)
            .setData(ByteBuffer.wrap(new byte[6]))
            .build();
    // Recorded 20 ms after capture, replayed an hour later.
    RecordedRecord recorded = record(frames.encode(frame), 1_000_020L);
    byte[] replayed = new CaptureTimeRestamper().restamp(recorded, 1_000_020L + 3_600_000L);
    Frame restamped = frames.decode(replayed);
    assertEquals(1_000_000_000L + 3_600_000_000L, restamped.getCaptureTimeMicros());
    assertEquals(7, restamped.getSeq());
    assertEquals("cam-1", restamped.getStreamId());
  }

  @Test
  void leavesEveryOtherRecordAsRecorded() {
    byte[] panel =
        AvroCodec.forType(GenePanel.class, schemas)
            .encode(GenePanel.newBuilder().setSampleId("s").setValues(List.of(1f, 2f)).build());
    byte[] text = "not avro".getBytes(StandardCharsets.UTF_8);
    CaptureTimeRestamper restamper = new CaptureTimeRestamper();
    assertArrayEquals(panel, restamper.restamp(record(panel, 0), 5_000));
    assertArrayEquals(text, restamper.restamp(record(text, 0), 5_000));
    assertEquals(null, restamper.restamp(record(null, 0), 5_000));
  }

  private static RecordedRecord record(byte[] value, long timestamp) {
    return new RecordedRecord("frames", 0, 0, timestamp, "CreateTime", null, value, List.of());
  }
}
