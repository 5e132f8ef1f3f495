package streaminfer.family.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import streaminfer.family.InvalidInputException;
import streaminfer.family.ssd.DetectionTask;
import streaminfer.family.ssd.SsdDecoder;
import streaminfer.family.ssd.tools.DetectionRecall;
import streaminfer.runtime.DevicePolicy;
import streaminfer.runtime.ModelRepository;
import streaminfer.runtime.ModelSession;
import streaminfer.runtime.SessionTuning;
import streaminfer.runtime.Tensor;
import streaminfer.source.SyntheticCameras;
import streaminfer.v1.Detection;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;

/**
 * The half-size JPEG path against the reference path it stands for (the JDK's full-size decode,
 * then the model's bilinear resize): how far the model inputs move, and that the shipped SSD finds
 * the true objects as often and as precisely through either.
 */
class HalfSizeJpegDecoderTest {
  private static ModelSession session;
  private static FramePreprocessor preprocessor;

  @BeforeAll
  static void open() {
    assertTrue(HalfSizeJpegDecoder.available(), "FFmpeg's natives should load on this platform");
    session =
        new ModelRepository(Path.of("models"))
            .open("ssd", OptionalInt.empty(), DevicePolicy.CPU, SessionTuning.defaults());
    preprocessor = FramePreprocessor.fromMetadata(session.metadata());
  }

  @AfterAll
  static void close() {
    session.close();
  }

  /** Camera frames and the golden scenes, as 320x320 JPEGs (quality 0.85, 4:2:0). */
  private static List<Frame> frames() throws IOException {
    List<Frame> frames = new ArrayList<>();
    try (SyntheticCameras cameras = new SyntheticCameras("cam", 4, 320, 320, 0.85f, 21)) {
      for (int i = 0; i < 40; i++) {
        frames.add(cameras.next(i % 4).frame());
      }
    }
    for (int i = 0; i < 4; i++) {
      BufferedImage png =
          ImageIO.read(session.directory().resolve("golden/" + i + ".png").toFile());
      frames.add(frame("golden-" + i, FrameImageDecoderTest.jpeg(rgb(png), 0.85f), 320, 320));
    }
    return frames;
  }

  @Test
  void movesTheModelInputByAboutOneAndAHalfLevelsOnAverageAndMoreAtColourEdges()
      throws IOException {
    FrameImageDecoder images = new FrameImageDecoder();
    double sum = 0;
    long count = 0;
    long overFour = 0;
    double worst = 0;
    for (Frame frame : frames()) {
      assertNotNull(
          new HalfSizeJpegDecoder().decode(frame.getData(), 320, 320),
          "the fast path should take " + frame.getStreamId());
      float[] fast = images.inputRow(frame, preprocessor);
      float[] reference = preprocessor.preprocess(images.decode(frame));
      for (int i = 0; i < fast.length; i++) {
        // Normalised units back to 0..255 levels: std 0.25 over scale 1/255.
        double levels = Math.abs(fast[i] - reference[i]) * 255 * 0.25;
        sum += levels;
        count++;
        worst = Math.max(worst, levels);
        if (levels > 4) {
          overFour++;
        }
      }
    }
    double mean = sum / count;
    double shareOverFour = (double) overFour / count;
    // Measured: mean 1.46 levels, 4.0% of values over 4 levels, worst 172 at saturated colour
    // edges, where swscale repeats a chroma sample that libjpeg interpolates. (The exact 2x2 mean
    // of the full-size decode, 0.3 ms a frame, moved it 0.37 levels, 1.2% over 4, worst 39.)
    System.out.printf(
        "half-size JPEG: model input moved %.3f levels on average, %.4f of values over 4, worst"
            + " %.1f%n",
        mean, shareOverFour, worst);
    assertTrue(mean < 2, "mean difference " + mean + " levels");
    assertTrue(shareOverFour < 0.06, "share of values over 4 levels " + shareOverFour);
    assertTrue(worst < 200, "worst difference " + worst + " levels");
  }

  /**
   * Camera frames with their true objects: the fast path finds as many of them as the reference
   * path, at IoU 0.5 and at the stricter 0.75, and where both find an object they put it in about
   * the same place.
   */
  @Test
  void findsTheTrueObjectsAsOftenAndAsPreciselyAsTheReferencePath() {
    FrameImageDecoder images = new FrameImageDecoder();
    DetectionTask task =
        new DetectionTask(
            session.metadata(),
            images,
            SsdDecoder.fromMetadata(session.metadata()),
            Optional.empty(),
            Clock.systemUTC());
    DetectionRecall fastRecall = new DetectionRecall(0.5);
    DetectionRecall referenceRecall = new DetectionRecall(0.5);
    DetectionRecall fastStrict = new DetectionRecall(0.75);
    DetectionRecall referenceStrict = new DetectionRecall(0.75);
    List<Double> agreement = new ArrayList<>();
    try (SyntheticCameras cameras = new SyntheticCameras("cam", 4, 320, 320, 0.85f, 23)) {
      for (int round = 0; round < 5; round++) {
        List<SyntheticCameras.Shot> shots = new ArrayList<>();
        List<Map<String, Tensor>> fastRows = new ArrayList<>();
        List<Map<String, Tensor>> referenceRows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          SyntheticCameras.Shot shot = cameras.next(i % 4);
          shots.add(shot);
          fastRows.add(task.toInputs(shot.frame()));
          referenceRows.add(
              Map.of("images", Tensor.of(preprocessor.preprocess(images.decode(shot.frame())))));
        }
        List<Map<String, Tensor>> fastOut = session.runRows(fastRows);
        List<Map<String, Tensor>> referenceOut = session.runRows(referenceRows);
        for (int i = 0; i < shots.size(); i++) {
          Frame frame = shots.get(i).frame();
          List<Detection> fast = task.toOutput(frame, fastOut.get(i)).getDetections();
          List<Detection> reference = task.toOutput(frame, referenceOut.get(i)).getDetections();
          fastRecall.add(shots.get(i).truth(), fast);
          referenceRecall.add(shots.get(i).truth(), reference);
          fastStrict.add(shots.get(i).truth(), fast);
          referenceStrict.add(shots.get(i).truth(), reference);
          for (Detection wanted : reference) {
            double best = 0;
            for (Detection got : fast) {
              if (got.getClassId() == wanted.getClassId()) {
                best = Math.max(best, iou(got, wanted));
              }
            }
            if (best > 0.5) {
              agreement.add(best);
            }
          }
        }
      }
    }
    // Measured (650 objects in 200 frames): recall at IoU 0.5 0.817 vs 0.822 on the reference
    // path, at IoU 0.75 0.771 vs 0.774; IoU to the reference path's boxes median 0.963.
    assertTrue(fastRecall.objects() > 400, "objects: " + fastRecall.objects());
    assertTrue(
        Math.abs(fastRecall.recall() - referenceRecall.recall()) <= 0.01,
        "recall " + fastRecall.recall() + " vs reference " + referenceRecall.recall());
    assertTrue(
        Math.abs(fastStrict.recall() - referenceStrict.recall()) <= 0.01,
        "recall at IoU 0.75 " + fastStrict.recall() + " vs reference " + referenceStrict.recall());
    agreement.sort(null);
    double median = agreement.get(agreement.size() / 2);
    assertTrue(median > 0.95, "median IoU to the reference path's boxes " + median);
    System.out.printf(
        "half-size JPEG: recall %.3f vs reference %.3f at IoU 0.5, %.3f vs %.3f at 0.75, over %d"
            + " objects; IoU to the reference boxes median %.3f%n",
        fastRecall.recall(),
        referenceRecall.recall(),
        fastStrict.recall(),
        referenceStrict.recall(),
        fastRecall.objects(),
        median);
  }

  @Test
  void takesGrayJpegsAsGray() {
    BufferedImage gray = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(FrameImageDecoderTest.scene(64, 48), 0, 0, null);
    Frame frame = frame("gray", FrameImageDecoderTest.jpeg(gray, 0.95f), 64, 48);
    FrameImageDecoder images = new FrameImageDecoder();
    RgbPlanes half = new HalfSizeJpegDecoder().decode(frame.getData(), 64, 48);
    RgbImage full = images.decode(frame);
    assertEquals(32, half.width());
    double sum = 0;
    int worst = 0;
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        int mean =
            (full.sample(2 * x, 2 * y, 0)
                    + full.sample(2 * x + 1, 2 * y, 0)
                    + full.sample(2 * x, 2 * y + 1, 0)
                    + full.sample(2 * x + 1, 2 * y + 1, 0)
                    + 2)
                / 4;
        int difference = Math.abs(half.sample(x, y, 0) - mean);
        sum += difference;
        worst = Math.max(worst, difference);
        assertEquals(half.sample(x, y, 0), half.sample(x, y, 1));
        assertEquals(half.sample(x, y, 0), half.sample(x, y, 2));
      }
    }
    // The DCT-domain shrink against the 2x2 mean of the full decode, measured: mean 0.76 levels,
    // worst 10 at an edge.
    assertTrue(sum / (32 * 24) < 1.5, "mean difference " + sum / (32 * 24));
    assertTrue(worst <= 20, "worst difference " + worst);
  }

  @Test
  void leavesOtherSizesToTheFullDecode() {
    byte[] jpeg = FrameImageDecoderTest.jpeg(FrameImageDecoderTest.scene(64, 48), 0.9f);
    FrameImageDecoder images = new FrameImageDecoder();
    // Not twice the input: decoded at full size, then the bilinear resize.
    Frame notTwice = frame("f", jpeg, 64, 48);
    FramePreprocessor forty = inputOf(40, 40);
    assertArrayEquals(forty.preprocess(images.decode(notTwice)), images.inputRow(notTwice, forty));
    // Odd sides never halve exactly.
    assertNull(new HalfSizeJpegDecoder().decode(ByteBuffer.wrap(jpeg), 63, 48));
    // A PNG of twice the size is left to the preprocessor's exact 2x2 mean.
    byte[] png = FrameImageDecoderTest.encode(FrameImageDecoderTest.scene(64, 48), "png");
    Frame pngFrame =
        Frame.newBuilder(frame("p", jpeg, 64, 48))
            .setEncoding(FrameEncoding.PNG)
            .setData(ByteBuffer.wrap(png))
            .build();
    FramePreprocessor half = inputOf(32, 24);
    assertArrayEquals(half.preprocess(images.decode(pngFrame)), images.inputRow(pngFrame, half));
  }

  @Test
  void stillRejectsTruncatedCorruptAndMisdeclaredJpegs() {
    byte[] jpeg = FrameImageDecoderTest.jpeg(FrameImageDecoderTest.scene(64, 48), 0.9f);
    FrameImageDecoder images = new FrameImageDecoder();
    FramePreprocessor half = inputOf(32, 24);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> images.inputRow(frame("t", truncated, 64, 48), half));
    assertTrue(error.getMessage().contains("corrupt or truncated"), error.getMessage());
    // Truncated, then the EOI marker glued on: FFmpeg must fail it, not conceal it.
    byte[] glued = Arrays.copyOf(truncated, truncated.length + 2);
    glued[glued.length - 2] = (byte) 0xFF;
    glued[glued.length - 1] = (byte) 0xD9;
    assertNull(new HalfSizeJpegDecoder().decode(ByteBuffer.wrap(glued), 64, 48));
    assertThrows(
        InvalidInputException.class, () -> images.inputRow(frame("g", glued, 64, 48), half));
    assertThrows(
        InvalidInputException.class,
        () -> images.inputRow(frame("z", new byte[100], 64, 48), half));
    // The header says 64x48; the frame declares 64x64.
    assertNull(new HalfSizeJpegDecoder().decode(ByteBuffer.wrap(jpeg), 64, 64));
    error =
        assertThrows(
            InvalidInputException.class,
            () -> images.inputRow(frame("m", jpeg, 64, 64), inputOf(32, 32)));
    assertTrue(error.getMessage().contains("but the frame declares 64x64"), error.getMessage());
    // And the same thread keeps decoding afterwards.
    assertNotNull(new HalfSizeJpegDecoder().decode(ByteBuffer.wrap(jpeg), 64, 48));
    assertEquals(3 * 32 * 24, images.inputRow(frame("ok", jpeg, 64, 48), half).length);
  }

  /**
   * Progressive JPEGs and full or horizontal-only chroma (4:4:4, 4:2:2) take the same path, and
   * each moves the model input no more than the usual baseline 4:2:0 frame does.
   */
  @Test
  void takesProgressiveAndOtherChromaLayoutsCloseToTheReferencePath() throws IOException {
    BufferedImage scene = FrameImageDecoderTest.scene(320, 320);
    FrameImageDecoder images = new FrameImageDecoder();
    for (Object[] variant :
        new Object[][] {
          {"baseline 4:2:0", false, 2, 2},
          {"progressive 4:2:0", true, 2, 2},
          {"baseline 4:4:4", false, 1, 1},
          {"baseline 4:2:2", false, 2, 1}
        }) {
      byte[] jpeg = jpeg(scene, (boolean) variant[1], (int) variant[2], (int) variant[3]);
      Frame frame = frame((String) variant[0], jpeg, 320, 320);
      assertNotNull(
          new HalfSizeJpegDecoder().decode(ByteBuffer.wrap(jpeg), 320, 320),
          variant[0] + " should take the half-size path");
      float[] fast = images.inputRow(frame, preprocessor);
      float[] reference = preprocessor.preprocess(images.decode(frame));
      double sum = 0;
      for (int i = 0; i < fast.length; i++) {
        sum += Math.abs(fast[i] - reference[i]) * 255 * 0.25;
      }
      double mean = sum / fast.length;
      // Measured on this scene (a fine checkerboard texture, harder than camera frames): 2.6
      // levels for baseline 4:2:0, 1.8 progressive, 0.9 for 4:4:4, 1.7 for 4:2:2. A plane in the
      // wrong place or limited-range colour moves it by tens of levels.
      assertTrue(mean < 3, variant[0] + ": model input moved " + mean + " levels on average");
    }
  }

  /** A JPEG at quality 0.9, progressive or not, with luma sampled h x v times the chroma. */
  private static byte[] jpeg(BufferedImage image, boolean progressive, int h, int v)
      throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      } else {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
      }
      IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
      Element tree = (Element) metadata.getAsTree("javax_imageio_jpeg_image_1.0");
      // The first component is luma; its sampling factors set the chroma subsampling.
      Element luma = (Element) tree.getElementsByTagName("componentSpec").item(0);
      luma.setAttribute("HsamplingFactor", Integer.toString(h));
      luma.setAttribute("VsamplingFactor", Integer.toString(v));
      metadata.setFromTree("javax_imageio_jpeg_image_1.0", tree);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  @Test
  void decodesAsAFreshDecoderWouldAfterFramesOfOtherSizesAndLayouts() {
    BufferedImage grayScene = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
    grayScene.getGraphics().drawImage(FrameImageDecoderTest.scene(64, 48), 0, 0, null);
    List<byte[]> jpegs =
        List.of(
            FrameImageDecoderTest.jpeg(FrameImageDecoderTest.scene(64, 48), 0.9f),
            FrameImageDecoderTest.jpeg(grayScene, 0.9f),
            FrameImageDecoderTest.jpeg(FrameImageDecoderTest.scene(96, 64), 0.9f),
            FrameImageDecoderTest.jpeg(FrameImageDecoderTest.scene(64, 48), 0.9f));
    int[][] sizes = {{64, 48}, {64, 48}, {96, 64}, {64, 48}};
    HalfSizeJpegDecoder reused = new HalfSizeJpegDecoder();
    for (int i = 0; i < jpegs.size(); i++) {
      ByteBuffer data = ByteBuffer.wrap(jpegs.get(i));
      RgbPlanes fresh = new HalfSizeJpegDecoder().decode(data, sizes[i][0], sizes[i][1]);
      assertArrayEquals(
          fresh.planes(), reused.decode(data, sizes[i][0], sizes[i][1]).planes(), "frame " + i);
    }
  }

  @Test
  void readsFromTheBuffersPositionWithoutMovingIt() {
    byte[] jpeg = FrameImageDecoderTest.jpeg(FrameImageDecoderTest.scene(64, 48), 0.9f);
    byte[] padded = new byte[jpeg.length + 10];
    System.arraycopy(jpeg, 0, padded, 5, jpeg.length);
    ByteBuffer data = ByteBuffer.wrap(padded, 5, jpeg.length);
    HalfSizeJpegDecoder decoder = new HalfSizeJpegDecoder();
    RgbPlanes fromSlice = decoder.decode(data, 64, 48);
    assertEquals(5, data.position());
    assertArrayEquals(decoder.decode(ByteBuffer.wrap(jpeg), 64, 48).planes(), fromSlice.planes());
  }

  private static FramePreprocessor inputOf(int width, int height) {
    return new FramePreprocessor(
        width, height, 1f / 255, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
  }

  private static Frame frame(String stream, byte[] jpeg, int width, int height) {
    return Frame.newBuilder()
        .setStreamId(stream)
        .setSeq(0)
        .setCaptureTimeMicros(0)
        .setEncoding(FrameEncoding.JPEG)
        .setWidth(width)
        .setHeight(height)
        .setData(ByteBuffer.wrap(jpeg))
        .build();
  }

  private static BufferedImage rgb(BufferedImage image) {
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(image, 0, 0, null);
    return rgb;
  }

  private static double iou(Detection a, Detection b) {
    double w = Math.min(a.getXMax(), b.getXMax()) - Math.max(a.getXMin(), b.getXMin());
    double h = Math.min(a.getYMax(), b.getYMax()) - Math.max(a.getYMin(), b.getYMin());
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double inter = w * h;
    double areaA = (a.getXMax() - a.getXMin()) * (a.getYMax() - a.getYMin());
    double areaB = (b.getXMax() - b.getXMin()) * (b.getYMax() - b.getYMin());
    return inter / (areaA + areaB - inter);
  }
}
