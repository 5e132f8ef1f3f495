package streaminfer.ops;

import java.util.Optional;
import java.util.function.Supplier;

/** One readiness condition: empty when fine, else the problem in words. */
public record HealthCheck(String name, Supplier<Optional<String>> problem) {}
