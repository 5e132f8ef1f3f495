package streaminfer.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.generic.PrimitivesArrays;
import org.junit.jupiter.api.Test;
import streaminfer.v1.GeneExpression;

class FloatsTest {
  private final AvroCodec<GeneExpression> codec =
      AvroCodec.forType(GeneExpression.class, WriterSchemas.v1());

  private static float[] randomFloats(int n) {
    Random random = new Random(1);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    values[0] = Float.NaN;
    values[1] = Float.NEGATIVE_INFINITY;
    values[2] = -0f;
    return values;
  }

  private static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float v : values) {
      list.add(v);
    }
    return list;
  }

  @Test
  void fastPathWritesTheSameBytesAsTheBoxedPath() {
    float[] values = randomFloats(9520);
    GeneExpression viewed = V1Samples.geneExpression(values);
    GeneExpression boxed = GeneExpression.newBuilder(viewed).setValues(boxed(values)).build();

    assertArrayEquals(codec.encode(boxed), codec.encode(viewed));
  }

  @Test
  void fastPathReadsTheSameValuesAsTheBoxedPath() {
    float[] values = randomFloats(9520);

    GeneExpression decoded = codec.decode(codec.encode(V1Samples.geneExpression(values)));

    assertInstanceOf(FloatList.class, decoded.getValues());
    assertEquals(boxed(values), decoded.getValues());
    assertArrayEquals(values, Floats.toArray(decoded.getValues()));
  }

  @Test
  void writesAvrosOwnFloatArrayLikeABoxedList() {
    float[] values = randomFloats(100);
    PrimitivesArrays.FloatArray avroArray =
        new PrimitivesArrays.FloatArray(
            GeneExpression.getClassSchema().getField("values").schema(), boxed(values));
    GeneExpression viewed = V1Samples.geneExpression(values);
    GeneExpression avro = GeneExpression.newBuilder(viewed).setValues(avroArray).build();

    assertArrayEquals(codec.encode(viewed), codec.encode(avro));
  }

  @Test
  void toArrayGivesTheSameValuesForEveryKindOfList() {
    float[] values = randomFloats(50);
    PrimitivesArrays.FloatArray avroArray =
        new PrimitivesArrays.FloatArray(
            GeneExpression.getClassSchema().getField("values").schema(), boxed(values));

    assertArrayEquals(values, Floats.toArray(Floats.view(values)));
    assertArrayEquals(values, Floats.toArray(boxed(values)));
    assertArrayEquals(values, Floats.toArray(avroArray));
  }

  @Test
  void viewWritesThroughAndHasAFixedSize() {
    float[] values = {1f, 2f};
    List<Float> view = Floats.view(values);

    view.set(0, 5f);

    assertEquals(5f, values[0]);
    assertThrows(UnsupportedOperationException.class, () -> view.add(3f));
  }

  @Test
  void copyToPlacesARowAtAnOffsetAndRefusesOneThatDoesNotFit() {
    float[] batch = new float[6];

    Floats.copyTo(Floats.view(new float[] {1f, 2f, 3f}), batch, 3);

    assertArrayEquals(new float[] {0f, 0f, 0f, 1f, 2f, 3f}, batch);
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Floats.copyTo(Floats.view(new float[] {1f, 2f}), batch, 5));
  }
}
