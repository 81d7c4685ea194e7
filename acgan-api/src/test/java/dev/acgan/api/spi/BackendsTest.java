package dev.acgan.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {

    private static final String HOW_TO_ADD = "Add a backend jar to the classpath, e.g. the Maven dependency "
            + "dev.acgan:acgan-backend-tensorflow or dev.acgan:acgan-backend-nd4j, or call Backends.register(...)";
    private static final Function<String, String> NO_ENV = k -> null;

    @TempDir
    Path dir;

    private String savedProperty;
    private final List<GanBackend> registered = new ArrayList<>();
    private final List<URLClassLoader> loaders = new ArrayList<>();

    @BeforeEach
    void clearProperty() {
        savedProperty = System.clearProperty(Backends.PROPERTY);
    }

    @AfterEach
    void restore() throws IOException {
        if (savedProperty == null) {
            System.clearProperty(Backends.PROPERTY);
        } else {
            System.setProperty(Backends.PROPERTY, savedProperty);
        }
        registered.forEach(Backends::unregister);
        for (URLClassLoader l : loaders) {
            l.close();
        }
    }

    /** A class loader whose only service file lists the given provider classes. */
    private ClassLoader servicesListing(String... classes) throws IOException {
        Path root = Files.createTempDirectory(dir, "cp");
        if (classes.length > 0) {
            Path f = root.resolve("META-INF/services/dev.acgan.api.spi.GanBackend");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "# test providers\n" + String.join("\n", classes) + "\n");
        }
        URLClassLoader l = new URLClassLoader(new URL[] {root.toUri().toURL()}, BackendsTest.class.getClassLoader());
        loaders.add(l);
        return l;
    }

    private void register(GanBackend b) {
        Backends.register(b);
        registered.add(b);
    }

    private static List<String> names(Backends b) {
        return b.all().stream().map(GanBackend::name).toList();
    }

    @Test
    void discoveryWithNoBackends() throws IOException {
        Backends b = Backends.discover(servicesListing()).withEnvironment(NO_ENV);
        assertEquals(List.of(), b.all());
        assertEquals("[]", b.describe());
        BackendException e = assertThrows(BackendException.class, b::select);
        assertEquals("no acgan backend found on the classpath. " + HOW_TO_ADD, e.getMessage());
        BackendException named = assertThrows(BackendException.class, () -> b.select("nd4j"));
        assertEquals(
                "no acgan backend found on the classpath (asked for 'nd4j' by the argument). " + HOW_TO_ADD,
                named.getMessage());
    }

    @Test
    void discoveryWithOneBackend() throws IOException {
        Backends b = Backends.discover(servicesListing(FakeBackend.Alpha.class.getName()))
                .withEnvironment(NO_ENV);
        assertEquals(List.of("alpha"), names(b));
        GanBackend only = b.select();
        assertInstanceOf(FakeBackend.Alpha.class, only);
        assertEquals("[alpha (priority 10)]", b.describe());
    }

    @Test
    void discoveryWithTwoBackendsPicksTheHighestPriority() throws IOException {
        Backends b = Backends.discover(
                        servicesListing(FakeBackend.Alpha.class.getName(), FakeBackend.Beta.class.getName()))
                .withEnvironment(NO_ENV);
        assertEquals(List.of("beta", "alpha"), names(b));
        assertEquals("beta", b.select().name());
        assertEquals("alpha", b.select("alpha").name());
        assertEquals("[beta (priority 50), alpha (priority 10)]", b.describe());
    }

    @Test
    void duplicateNamesKeepTheFirstProvider() throws IOException {
        Backends b = Backends.discover(
                        servicesListing(FakeBackend.Alpha.class.getName(), FakeBackend.AlphaTwin.class.getName()))
                .withEnvironment(NO_ENV);
        assertEquals(1, b.all().size());
        assertInstanceOf(FakeBackend.Alpha.class, b.select());
    }

    @Test
    void explicitNameWinsCaseInsensitively() {
        System.setProperty(Backends.PROPERTY, "beta");
        Backends b = Backends.of(
                        List.of(new FakeBackend("Alpha", 1), new FakeBackend("beta", 2), new FakeBackend("gamma", 3)))
                .withEnvironment(env("gamma"));
        assertEquals("Alpha", b.select("ALPHA").name());
        assertEquals("Alpha", b.select("  alpha ").name());
        assertEquals("beta", b.select("Beta").name());
    }

    @Test
    void systemPropertyComesNextThenEnvironment() {
        Backends b = Backends.of(
                        List.of(new FakeBackend("alpha", 1), new FakeBackend("beta", 2), new FakeBackend("gamma", 3)))
                .withEnvironment(env("Alpha"));
        System.setProperty(Backends.PROPERTY, "BETA");
        assertEquals("beta", b.select().name());
        assertEquals("beta", b.select(null).name());
        assertEquals("beta", b.select(" ").name()); // a blank argument counts as none
        System.setProperty(Backends.PROPERTY, "   "); // a blank property too
        assertEquals("alpha", b.select().name());
        System.clearProperty(Backends.PROPERTY);
        assertEquals("alpha", b.select().name());
        // the environment lookup asks for ACGAN_BACKEND
        List<String> asked = new ArrayList<>();
        Backends.of(List.of(new FakeBackend("alpha", 1)))
                .withEnvironment(k -> {
                    asked.add(k);
                    return null;
                })
                .select();
        assertEquals(List.of(Backends.ENVIRONMENT), asked);
        assertEquals("ACGAN_BACKEND", Backends.ENVIRONMENT);
        assertEquals("acgan.backend", Backends.PROPERTY);
    }

    @Test
    void withoutAnyNameTheOnlyBackendThenTheHighestPriority() {
        assertEquals(
                "low",
                Backends.of(List.of(new FakeBackend("low", -5)))
                        .withEnvironment(NO_ENV)
                        .select()
                        .name());
        Backends b = Backends.of(List.of(new FakeBackend("b", 5), new FakeBackend("c", 7), new FakeBackend("a", 7)))
                .withEnvironment(NO_ENV);
        // ties broken by name
        assertEquals(List.of("a", "c", "b"), names(b));
        assertEquals("a", b.select().name());
    }

    @Test
    void unknownNameListsWhatWasFoundAndHowToAddOne() {
        Backends b = Backends.of(List.of(new FakeBackend("alpha", 10), new FakeBackend("beta", 50)))
                .withEnvironment(env("delta"));
        BackendException arg = assertThrows(BackendException.class, () -> b.select("Gamma"));
        assertEquals(
                "no backend named 'gamma' (from the argument); found: [beta (priority 50), alpha (priority 10)]. "
                        + HOW_TO_ADD,
                arg.getMessage());
        BackendException environment = assertThrows(BackendException.class, b::select);
        assertEquals(
                "no backend named 'delta' (from environment variable ACGAN_BACKEND); found: "
                        + "[beta (priority 50), alpha (priority 10)]. " + HOW_TO_ADD,
                environment.getMessage());
        System.setProperty(Backends.PROPERTY, "epsilon");
        BackendException property = assertThrows(BackendException.class, b::select);
        assertEquals(
                "no backend named 'epsilon' (from system property acgan.backend); found: "
                        + "[beta (priority 50), alpha (priority 10)]. " + HOW_TO_ADD,
                property.getMessage());
    }

    @Test
    void findIsCaseInsensitive() {
        Backends b = Backends.of(List.of(new FakeBackend("Alpha", 1)));
        assertEquals(Optional.of("Alpha"), b.find("aLPHA").map(GanBackend::name));
        assertEquals(Optional.empty(), b.find("beta"));
    }

    @Test
    void registerAndUnregister() throws IOException {
        ClassLoader loader = servicesListing(FakeBackend.Alpha.class.getName());
        FakeBackend extra = new FakeBackend("extra", 1);
        register(extra);
        Backends b = Backends.discover(loader).withEnvironment(NO_ENV);
        assertEquals(List.of("alpha", "extra"), names(b));
        assertSame(extra, b.select("extra"));
        // a registered backend wins over a discovered one of the same name
        FakeBackend alpha = new FakeBackend("alpha", 3);
        register(alpha);
        assertSame(alpha, Backends.discover(loader).select("alpha"));
        // the registry is read at discovery time: an existing Backends does not change
        Backends.unregister(extra);
        Backends.unregister(alpha);
        assertEquals(List.of("alpha", "extra"), names(b));
        Backends after = Backends.discover(loader).withEnvironment(NO_ENV);
        assertEquals(List.of("alpha"), names(after));
        assertInstanceOf(FakeBackend.Alpha.class, after.select());
        // with nothing else, a registered backend alone is selected
        register(extra);
        assertSame(
                extra,
                Backends.discover(servicesListing()).withEnvironment(NO_ENV).select());
    }

    @Test
    void registeredBackendsAreFoundByPlainDiscover() {
        FakeBackend only = new FakeBackend("registered-only", 1);
        register(only);
        assertTrue(Backends.discover().find("registered-only").isPresent());
        Backends.unregister(only);
        assertTrue(Backends.discover().find("registered-only").isEmpty());
    }

    private static Function<String, String> env(String value) {
        return Map.of(Backends.ENVIRONMENT, value)::get;
    }
}
