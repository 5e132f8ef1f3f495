package streaminfer.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import streaminfer.codec.AvroCodec;
import streaminfer.codec.WriterSchemas;
import streaminfer.v1.Frame;

/**
 * Moves a replayed frame's capture time forward by as long as the replay comes after the original
 * record, so that live mode (which skips frames captured too long ago) judges replayed frames as it
 * judged the originals. Other records pass unchanged.
 */
final class CaptureTimeRestamper {
  private final WriterSchemas schemas = WriterSchemas.v1();
  private final AvroCodec<Frame> frames = AvroCodec.forType(Frame.class, schemas);

  /**
   * @param sentAtMillis when the replay sends the record
   */
  byte[] restamp(RecordedRecord record, long sentAtMillis) {
    byte[] value = record.value();
    if (!isFrame(value)) {
      return value;
    }
    Frame frame = frames.decode(value);
    long shiftMicros = (sentAtMillis - record.timestamp()) * 1_000;
    frame.setCaptureTimeMicros(frame.getCaptureTimeMicros() + shiftMicros);
    return frames.encode(frame);
  }

  private boolean isFrame(byte[] value) {
    if (value == null || value.length < AvroCodec.HEADER_BYTES || value[0] != (byte) 0xC3) {
      return false;
    }
    long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    var writer = schemas.findByFingerprint(fingerprint);
    return writer != null && writer.getFullName().equals(Frame.getClassSchema().getFullName());
  }
}
