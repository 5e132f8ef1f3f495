package streaminfer.family;

import streaminfer.config.ConfigNode;
import streaminfer.stream.RecordProcessor;

/** A family module with the settings one pipeline gave it, parsed and validated. */
public record ConfiguredFamily<S>(FamilyModule<S> module, S settings) {
  public static <S> ConfiguredFamily<S> read(FamilyModule<S> module, ConfigNode node) {
    S settings = module.settings(node);
    node.rejectUnknownKeys();
    return new ConfiguredFamily<>(module, settings);
  }

  public RecordProcessor processor(FamilyContext context) {
    return module.processor(context, settings);
  }
}
