package streaminfer.source;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic camera: filled circles, squares and triangles drifting and bouncing over a gradient
 * background with pixel noise, drawn with Java2D (independently of the trainer's generator, so
 * detection recall on these frames says something about generalisation). Seeded per stream.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class MovingShapes {
  private static final String[] LABELS = {"circle", "square", "triangle"};

  private final int width;
  private final int height;
  private final SplittableRandom random;
  private final List<Shape> shapes = new ArrayList<>();
  private final Color top;
  private final Color bottom;
  private final BufferedImage image;

  private static final class Shape {
    final int kind;
    final Color color;
    final double size;
    final double angle;
    double x;
    double y;
    double vx;
    double vy;

    Shape(
        int kind,
        Color color,
        double size,
        double angle,
        double x,
        double y,
        double vx,
        double vy) {
      this.kind = kind;
      this.color = color;
      this.size = size;
      this.angle = angle;
      this.x = x;
      this.y = y;
      this.vx = vx;
      this.vy = vy;
    }
  }

  public MovingShapes(int width, int height, long seed) {
    this.width = width;
    this.height = height;
    this.random = new SplittableRandom(seed);
    this.top = randomColor();
    this.bottom = randomColor();
    this.image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      double size = Math.min(width, height) * (0.12 + 0.25 * random.nextDouble());
      shapes.add(
          new Shape(
              random.nextInt(LABELS.length),
              distinctFrom(top, bottom),
              size,
              random.nextDouble() * Math.PI / 2,
              size / 2 + random.nextDouble() * (width - size),
              size / 2 + random.nextDouble() * (height - size),
              (random.nextDouble() - 0.5) * 6,
              (random.nextDouble() - 0.5) * 6));
    }
  }

  /** Draws the next frame into the returned image (reused between calls) and moves the shapes. */
  public BufferedImage nextFrame(List<SceneObject> truth) {
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(new GradientPaint(0, 0, top, 0, height, bottom));
      g.fillRect(0, 0, width, height);
      truth.clear();
      for (Shape shape : shapes) {
        draw(g, shape, truth);
        move(shape);
      }
    } finally {
      g.dispose();
    }
    addNoise();
    return image;
  }

  private void draw(Graphics2D g, Shape shape, List<SceneObject> truth) {
    g.setColor(shape.color);
    double half = shape.size / 2;
    java.awt.Shape outline =
        switch (shape.kind) {
          case 0 -> new Ellipse2D.Double(shape.x - half, shape.y - half, shape.size, shape.size);
          case 1 ->
              AffineTransform.getRotateInstance(shape.angle, shape.x, shape.y)
                  .createTransformedShape(
                      new Rectangle2D.Double(
                          shape.x - half, shape.y - half, shape.size, shape.size));
          default ->
              AffineTransform.getRotateInstance(shape.angle, shape.x, shape.y)
                  .createTransformedShape(triangle(shape.x, shape.y, half));
        };
    g.fill(outline);
    Rectangle2D bounds = outline.getBounds2D();
    truth.add(
        new SceneObject(
            LABELS[shape.kind],
            (float) Math.max(0, bounds.getMinX() / width),
            (float) Math.max(0, bounds.getMinY() / height),
            (float) Math.min(1, bounds.getMaxX() / width),
            (float) Math.min(1, bounds.getMaxY() / height)));
  }

  private static Polygon triangle(double cx, double cy, double half) {
    Polygon polygon = new Polygon();
    for (int corner = 0; corner < 3; corner++) {
      double theta = -Math.PI / 2 + corner * 2 * Math.PI / 3;
      polygon.addPoint(
          (int) Math.round(cx + half * Math.cos(theta)),
          (int) Math.round(cy + half * Math.sin(theta)));
    }
    return polygon;
  }

  private void move(Shape shape) {
    double half = shape.size / 2;
    shape.x += shape.vx;
    shape.y += shape.vy;
    if (shape.x < half || shape.x > width - half) {
      shape.vx = -shape.vx;
    }
    if (shape.y < half || shape.y > height - half) {
      shape.vy = -shape.vy;
    }
  }

  private void addNoise() {
    byte[] pixels = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i += 7) {
      int value = (pixels[i] & 0xFF) + random.nextInt(17) - 8;
      pixels[i] = (byte) Math.max(0, Math.min(255, value));
    }
  }

  private Color randomColor() {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  /** A colour far enough from the background's to be visible, as a camera operator would ensure. */
  private Color distinctFrom(Color a, Color b) {
    while (true) {
      Color candidate = randomColor();
      if (distance(candidate, a) > 120 && distance(candidate, b) > 120) {
        return candidate;
      }
    }
  }

  private static double distance(Color a, Color b) {
    int dr = a.getRed() - b.getRed();
    int dg = a.getGreen() - b.getGreen();
    int db = a.getBlue() - b.getBlue();
    return Math.sqrt(dr * dr + dg * dg + db * db);
  }
}
