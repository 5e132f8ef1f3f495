package streaminfer.codec;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import streaminfer.v1.Detection;
import streaminfer.v1.Detections;
import streaminfer.v1.DialogueReply;
import streaminfer.v1.DialogueRole;
import streaminfer.v1.DialogueTurn;
import streaminfer.v1.Frame;
import streaminfer.v1.FrameEncoding;
import streaminfer.v1.FrameScore;
import streaminfer.v1.GameState;
import streaminfer.v1.GeneExpression;
import streaminfer.v1.GenePanel;
import streaminfer.v1.GeneratedImage;
import streaminfer.v1.GenerationRequest;
import streaminfer.v1.ModelRef;
import streaminfer.v1.ObjectProbability;
import streaminfer.v1.OracleAnswer;
import streaminfer.v1.QuestionAnswer;
import streaminfer.v1.ReplyStatus;
import streaminfer.v1.RleMask;
import streaminfer.v1.SceneObject;
import streaminfer.v1.Segmentations;
import streaminfer.v1.SegmentedInstance;

/** One filled-in record of every top-level v1 type, optional fields set where they exist. */
final class V1Samples {
  private V1Samples() {}

  static GenePanel genePanel() {
    return GenePanel.newBuilder()
        .setSampleId("sample-1")
        .setValues(List.of(1.5f, -2.25f, 0f))
        .setModel("dgex")
        .build();
  }

  static GeneExpression geneExpression(float[] values) {
    return GeneExpression.newBuilder()
        .setSampleId("sample-1")
        .setModel("dgex")
        .setModelVersion("3")
        .setValues(Floats.view(values))
        .build();
  }

  static Frame frame() {
    return Frame.newBuilder()
        .setStreamId("cam-7")
        .setSeq(42L)
        .setCaptureTimeMicros(1_700_000_000_000_000L)
        .setWidth(2)
        .setHeight(1)
        .setEncoding(FrameEncoding.RGB24)
        .setData(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}))
        .build();
  }

  static Detection detection() {
    return Detection.newBuilder()
        .setClassId(3)
        .setLabel("car")
        .setScore(0.9f)
        .setXMin(0.1f)
        .setYMin(0.2f)
        .setXMax(0.3f)
        .setYMax(0.4f)
        .build();
  }

  static Detections detections() {
    return Detections.newBuilder()
        .setStreamId("cam-7")
        .setSeq(42L)
        .setCaptureTimeMicros(1_700_000_000_000_000L)
        .setModel("ssd")
        .setModelVersion("1")
        .setDetections(List.of(detection()))
        .build();
  }

  static Segmentations segmentations() {
    RleMask mask = RleMask.newBuilder().setHeight(1).setWidth(2).setCounts(List.of(1, 1)).build();
    return Segmentations.newBuilder()
        .setStreamId("cam-7")
        .setSeq(42L)
        .setCaptureTimeMicros(1_700_000_000_000_000L)
        .setModel("maskrcnn")
        .setModelVersion("2")
        .setInstances(
            List.of(SegmentedInstance.newBuilder().setDetection(detection()).setMask(mask).build()))
        .build();
  }

  static FrameScore frameScore() {
    return FrameScore.newBuilder()
        .setStreamId("cam-7")
        .setSeq(42L)
        .setCaptureTimeMicros(1_700_000_000_000_000L)
        .setModel("began")
        .setModelVersion("1")
        .setScore(0.12f)
        .setThreshold(0.1f)
        .setAnomaly(true)
        .build();
  }

  static GenerationRequest generationRequest() {
    return GenerationRequest.newBuilder()
        .setRequestId("req-1")
        .setCount(2)
        .setSeed(7L)
        .setLatent(Floats.view(new float[] {0.5f, -0.5f, 1f, 0f}))
        .build();
  }

  static GeneratedImage generatedImage() {
    return GeneratedImage.newBuilder()
        .setRequestId("req-1")
        .setIndex(1)
        .setModel("began")
        .setModelVersion("1")
        .setWidth(64)
        .setHeight(64)
        .setEncoding(FrameEncoding.PNG)
        .setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
        .setSeed(8L)
        .build();
  }

  static DialogueTurn dialogueTurn() {
    SceneObject object =
        SceneObject.newBuilder()
            .setObjectId(5)
            .setCategory("dog")
            .setColour("brown")
            .setXMin(0f)
            .setYMin(0f)
            .setXMax(0.5f)
            .setYMax(0.5f)
            .build();
    return DialogueTurn.newBuilder()
        .setGameId("game-1")
        .setSeq(0L)
        .setRole(DialogueRole.ANSWER)
        .setQuestion("is it a dog?")
        .setAnswer(OracleAnswer.NA)
        .setScene(List.of(object))
        .setTargetObjectId(5)
        .build();
  }

  static DialogueReply dialogueReply() {
    return DialogueReply.newBuilder()
        .setGameId("game-1")
        .setSeq(3L)
        .setRole(DialogueRole.SELF_PLAY)
        .setQuestion("is it red?")
        .setAnswer(OracleAnswer.YES)
        .setGuessedObjectId(5)
        .setObjectProbabilities(
            List.of(ObjectProbability.newBuilder().setObjectId(5).setProbability(1f).build()))
        .setDialogue(
            List.of(
                QuestionAnswer.newBuilder()
                    .setQuestion("is it red?")
                    .setAnswer(OracleAnswer.YES)
                    .build()))
        .setStatus(ReplyStatus.ENDED)
        .setError(null)
        .setModels(List.of(ModelRef.newBuilder().setModel("qgen").setModelVersion("1").build()))
        .build();
  }

  static GameState gameState() {
    return GameState.newBuilder()
        .setGameId("game-1")
        .setFirstSeq(0L)
        .setNextSeq(1L)
        .setScene(dialogueTurn().getScene())
        .setTargetObjectId(5)
        .setTokens(List.of(1, 7, 8, 5, 2))
        .setConsumed(3)
        .setH(List.of(0.5f, -0.5f))
        .setC(List.of(0.25f, -0.25f))
        .setReplies(List.of(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})))
        .setEnded(false)
        .setLastActivityMillis(1_700_000_000_000L)
        .build();
  }

  static List<SpecificRecord> all() {
    return List.of(
        genePanel(),
        geneExpression(new float[] {1f, 2f, 3f}),
        frame(),
        detections(),
        segmentations(),
        frameScore(),
        generationRequest(),
        generatedImage(),
        dialogueTurn(),
        dialogueReply(),
        gameState());
  }
}
