package dev.acgan.samples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code acgan-bom} is what a host imports to align acgan's versions: it must list every published module of
 * the build (every module of the root pom but the BOM itself and the samples application) at the SDK's
 * version, carry no {@code <scope>} (a BOM that sets scopes changes its importers' classpaths), and have no
 * parent (whose dependencyManagement would leak Jackson, TensorFlow, ... into the host's).
 */
class BomTest {

    private static final Path ROOT = Path.of("..");
    private static final Path BOM = ROOT.resolve("acgan-bom/pom.xml");

    @Test
    void listsEveryPublishedModuleWithoutScopeOrParent() throws Exception {
        Document root = PomFiles.parse(ROOT.resolve("pom.xml"));
        Document bom = PomFiles.parse(BOM);
        assertNull(PomFiles.child(bom.getDocumentElement(), "parent"), BOM + " must not have a parent");
        assertEquals(
                PomFiles.child(root.getDocumentElement(), "version"),
                PomFiles.child(bom.getDocumentElement(), "version"),
                BOM + ": not the SDK's version");

        TreeSet<String> published = new TreeSet<>();
        NodeList modules = root.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String dir = modules.item(i).getTextContent().trim();
            Document pom = PomFiles.parse(ROOT.resolve(dir).resolve("pom.xml"));
            String artifact = PomFiles.child(pom.getDocumentElement(), "artifactId");
            String packaging = PomFiles.child(pom.getDocumentElement(), "packaging");
            if (!artifact.equals("acgan-bom") && !artifact.equals("acgan-samples") && !"pom".equals(packaging)) {
                published.add(artifact);
            }
        }

        TreeSet<String> listed = new TreeSet<>();
        List<String> scoped = new ArrayList<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (PomFiles.child(d, "scope") != null) {
                scoped.add(PomFiles.child(d, "artifactId"));
            }
            if ("dev.acgan".equals(PomFiles.child(d, "groupId"))) {
                listed.add(PomFiles.child(d, "artifactId"));
                assertEquals("${project.version}", PomFiles.child(d, "version"), "version of " + listed.last());
            }
        }
        assertTrue(scoped.isEmpty(), BOM + ": dependencies with a <scope>: " + scoped);
        assertEquals(published, listed, BOM + " must list exactly the published modules of " + ROOT + "/pom.xml");
        assertTrue(Files.isRegularFile(BOM));
    }
}
