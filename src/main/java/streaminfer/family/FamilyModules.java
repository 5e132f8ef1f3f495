package streaminfer.family;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The family modules on the class path, by name. */
public final class FamilyModules {
  private final Map<String, FamilyModule<?>> modules;

  private FamilyModules(Map<String, FamilyModule<?>> modules) {
    this.modules = Collections.unmodifiableMap(modules);
  }

  /** Every {@link FamilyModule} that {@link ServiceLoader} finds; two of one name is an error. */
  public static FamilyModules discover() {
    Map<String, FamilyModule<?>> found = new TreeMap<>();
    for (FamilyModule<?> module : ServiceLoader.load(FamilyModule.class)) {
      FamilyModule<?> previous = found.putIfAbsent(module.name(), module);
      if (previous != null) {
        throw new IllegalStateException(
            "two family modules are named "
                + module.name()
                + ": "
                + previous.getClass().getName()
                + " and "
                + module.getClass().getName());
      }
    }
    return new FamilyModules(found);
  }

  public FamilyModule<?> get(String name) {
    FamilyModule<?> module = modules.get(name);
    if (module == null) {
      throw new IllegalArgumentException(
          "unknown family '" + name + "'; this build serves " + modules.keySet());
    }
    return module;
  }

  public boolean contains(String name) {
    return modules.containsKey(name);
  }

  public Collection<FamilyModule<?>> all() {
    return modules.values();
  }
}
