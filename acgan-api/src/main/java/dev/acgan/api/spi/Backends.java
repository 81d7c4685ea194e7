package dev.acgan.api.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and selects backends. Discovery uses {@link ServiceLoader} on the context class loader, plus
 * backends added with {@link #register} (for shaded jars where service files are lost).
 *
 * <p>Selection ({@link #select(String)}): an explicit name wins; else the system property
 * {@value #PROPERTY}; else the environment variable {@value #ENVIRONMENT}; else the only backend
 * present; else the one of highest priority (ties broken by name).
 */
public final class Backends {

    /** System property naming the backend to use. */
    public static final String PROPERTY = "acgan.backend";
    /** Environment variable naming the backend to use. */
    public static final String ENVIRONMENT = "ACGAN_BACKEND";

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final List<GanBackend> REGISTERED = new CopyOnWriteArrayList<>();

    private final List<GanBackend> available;
    private final Function<String, String> environment;

    private Backends(List<GanBackend> available, Function<String, String> environment) {
        this.available = List.copyOf(available);
        this.environment = environment;
    }

    /** Backends found on the classpath and registered, read now. */
    public static Backends discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    /** Backends found through the given class loader, plus registered ones. */
    public static Backends discover(ClassLoader loader) {
        Map<String, GanBackend> byName = new LinkedHashMap<>();
        for (GanBackend b : REGISTERED) {
            byName.putIfAbsent(b.name(), b);
        }
        for (ServiceLoader.Provider<GanBackend> p :
                ServiceLoader.load(GanBackend.class, loader).stream().toList()) {
            GanBackend b = p.get();
            GanBackend prev = byName.putIfAbsent(b.name(), b);
            if (prev != null && prev.getClass() != b.getClass()) {
                LOG.warn(
                        "two backends named '{}': {} and {}; using the first",
                        b.name(),
                        prev.getClass().getName(),
                        b.getClass().getName());
            }
        }
        return new Backends(new ArrayList<>(byName.values()), System::getenv);
    }

    /** A fixed set of backends (for tests and hosts that wire backends themselves). */
    public static Backends of(List<GanBackend> backends) {
        return new Backends(backends, System::getenv);
    }

    /** The same set with another environment lookup (for tests). */
    Backends withEnvironment(Function<String, String> env) {
        return new Backends(available, env);
    }

    /** Adds a backend to every later discovery, e.g. when a shaded jar lost its service files. */
    public static void register(GanBackend backend) {
        REGISTERED.add(0, backend);
    }

    /** Removes a registered backend. */
    public static void unregister(GanBackend backend) {
        REGISTERED.remove(backend);
    }

    /** All backends, highest priority first. */
    public List<GanBackend> all() {
        return available.stream()
                .sorted(Comparator.comparingInt(GanBackend::priority).reversed().thenComparing(GanBackend::name))
                .toList();
    }

    /** The backend of that name (case-insensitive), or empty. */
    public java.util.Optional<GanBackend> find(String name) {
        return available.stream().filter(b -> b.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Selects by the rules in the class comment, with no explicit name. */
    public GanBackend select() {
        return select(null);
    }

    /**
     * Selects a backend.
     *
     * @param explicitName a name given by the caller, or {@code null}
     * @throws BackendException when none is present or the named one is not
     */
    public GanBackend select(String explicitName) {
        String name = blankToNull(explicitName);
        String source = "the argument";
        if (name == null) {
            name = blankToNull(System.getProperty(PROPERTY));
            source = "system property " + PROPERTY;
        }
        if (name == null) {
            name = blankToNull(environment.apply(ENVIRONMENT));
            source = "environment variable " + ENVIRONMENT;
        }
        if (available.isEmpty()) {
            throw new BackendException("no acgan backend found on the classpath"
                    + (name == null ? "" : " (asked for '" + name + "' by " + source + ")") + ". " + HOW_TO_ADD);
        }
        if (name != null) {
            String wanted = name;
            String from = source;
            return find(name)
                    .orElseThrow(() -> new BackendException("no backend named '" + wanted + "' (from " + from
                            + "); found: " + describe() + ". " + HOW_TO_ADD));
        }
        GanBackend chosen = all().get(0);
        LOG.debug("selected backend {} from {}", chosen.name(), describe());
        return chosen;
    }

    /** Names and priorities of what was found, e.g. {@code [tensorflow (priority 100), nd4j (priority 50)]}. */
    public String describe() {
        return all().stream()
                .map(b -> b.name() + " (priority " + b.priority() + ")")
                .toList()
                .toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    private static final String HOW_TO_ADD = "Add a backend jar to the classpath, e.g. the Maven dependency "
            + "dev.acgan:acgan-backend-tensorflow or dev.acgan:acgan-backend-nd4j, or call Backends.register(...)";
}
