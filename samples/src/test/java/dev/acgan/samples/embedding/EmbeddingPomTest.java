package dev.acgan.samples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The embedding example has its own Maven build (a host application does not inherit from acgan's parent
 * pom), so it names its versions itself. They must stay the versions the SDK is built and tested with.
 */
class EmbeddingPomTest {

    private static final Path EXAMPLE_POM = Path.of("embedding/pom.xml");
    private static final Path ROOT_POM = Path.of("../pom.xml");

    @Test
    void exampleUsesTheSdkVersionAndTheSdksGuiceAndSlf4jVersions() throws Exception {
        Document example = PomFiles.parse(EXAMPLE_POM);
        Document root = PomFiles.parse(ROOT_POM);
        assertEquals(
                PomFiles.child(root.getDocumentElement(), "version"),
                property(example, "acgan.version"),
                EXAMPLE_POM + ": acgan.version is not the SDK's version in " + ROOT_POM);
        assertEquals(
                property(root, "guice.version"),
                dependencyVersion(example, "com.google.inject", "guice"),
                EXAMPLE_POM + ": Guice version differs from guice.version in " + ROOT_POM);
        assertEquals(
                property(root, "slf4j.version"),
                dependencyVersion(example, "org.slf4j", "slf4j-simple"),
                EXAMPLE_POM + ": slf4j-simple version differs from slf4j.version in " + ROOT_POM);
    }

    private static String property(Document pom, String name) {
        Element properties = (Element)
                pom.getDocumentElement().getElementsByTagName("properties").item(0);
        assertNotNull(properties, "no <properties> in " + pom.getDocumentURI());
        return PomFiles.child(properties, name);
    }

    /** The version of the first dependency with these coordinates, anywhere in the pom. */
    private static String dependencyVersion(Document pom, String groupId, String artifactId) {
        NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (groupId.equals(PomFiles.child(d, "groupId")) && artifactId.equals(PomFiles.child(d, "artifactId"))) {
                return PomFiles.child(d, "version");
            }
        }
        throw new AssertionError("no dependency " + groupId + ":" + artifactId + " in " + pom.getDocumentURI());
    }
}
