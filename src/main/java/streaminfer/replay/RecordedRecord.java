package streaminfer.replay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** One Kafka record as recorded: where it was, when, and its key, value and headers as bytes. */
public record RecordedRecord(
    String topic,
    int partition,
    long offset,
    long timestamp,
    String timestampType,
    byte[] key,
    byte[] value,
    List<RecordedHeader> headers) {

  /** A header; Kafka allows repeated keys and null values, and so does the file. */
  public record RecordedHeader(String key, byte[] value) {}

  public RecordedRecord {
    headers = List.copyOf(headers);
  }

  static RecordedRecord of(ConsumerRecord<byte[], byte[]> record) {
    List<RecordedHeader> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      headers.add(new RecordedHeader(header.key(), header.value()));
    }
    return new RecordedRecord(
        record.topic(),
        record.partition(),
        record.offset(),
        record.timestamp(),
        record.timestampType().name,
        record.key(),
        record.value(),
        headers);
  }

  GenericRecord toAvro() {
    GenericRecord avro = new GenericData.Record(RecordingFormat.SCHEMA);
    avro.put("topic", topic);
    avro.put("partition", partition);
    avro.put("offset", offset);
    avro.put("timestamp", timestamp);
    avro.put("timestampType", timestampType);
    avro.put("key", wrap(key));
    avro.put("value", wrap(value));
    List<GenericRecord> avroHeaders = new ArrayList<>(headers.size());
    for (RecordedHeader header : headers) {
      GenericRecord avroHeader = new GenericData.Record(RecordingFormat.HEADER_SCHEMA);
      avroHeader.put("key", header.key());
      avroHeader.put("value", wrap(header.value()));
      avroHeaders.add(avroHeader);
    }
    avro.put("headers", avroHeaders);
    return avro;
  }

  static RecordedRecord fromAvro(GenericRecord avro) {
    List<RecordedHeader> headers = new ArrayList<>();
    for (Object item : (List<?>) avro.get("headers")) {
      GenericRecord header = (GenericRecord) item;
      headers.add(new RecordedHeader(header.get("key").toString(), unwrap(header.get("value"))));
    }
    return new RecordedRecord(
        avro.get("topic").toString(),
        (Integer) avro.get("partition"),
        (Long) avro.get("offset"),
        (Long) avro.get("timestamp"),
        avro.get("timestampType").toString(),
        unwrap(avro.get("key")),
        unwrap(avro.get("value")),
        headers);
  }

  /** Key and value bytes, as the progress bar counts them. */
  long sizeInBytes() {
    return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
  }

  private static ByteBuffer wrap(byte[] bytes) {
    return bytes == null ? null : ByteBuffer.wrap(bytes);
  }

  private static byte[] unwrap(Object field) {
    if (field == null) {
      return null;
    }
    ByteBuffer buffer = ((ByteBuffer) field).duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
