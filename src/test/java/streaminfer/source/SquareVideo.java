package streaminfer.source;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** A test video: a white square moving over black, whose position in every frame is known. */
final class SquareVideo {
  static final int WIDTH = 160;
  static final int HEIGHT = 120;
  static final int FRAMES = 30;
  static final int SIDE = 20;

  private SquareVideo() {}

  // The square's top-left corner in frame k: it moves 4 px right and 2 px down per frame.
  static int squareX(int k) {
    return 10 + 4 * k;
  }

  static int squareY(int k) {
    return 20 + 2 * k;
  }

  /**
   * Writes FRAMES frames as MPEG-4 Part 2 in MP4 at 30 fps (an encoder the LGPL FFmpeg build has).
   */
  static Path write(Path file) throws Exception {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat("mp4");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      recorder.setFrameRate(30);
      recorder.setVideoQuality(2); // qscale: near-lossless, so edges stay where they were drawn
      recorder.start();
      for (int k = 0; k < FRAMES; k++) {
        Graphics2D g = image.createGraphics();
        try {
          g.setColor(Color.BLACK);
          g.fillRect(0, 0, WIDTH, HEIGHT);
          g.setColor(Color.WHITE);
          g.fillRect(squareX(k), squareY(k), SIDE, SIDE);
        } finally {
          g.dispose();
        }
        recorder.record(converter.convert(image));
      }
      recorder.stop();
    }
    return file;
  }
}
