package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsCommandTest {

    @Test
    void listsTensorFlowAsDefault() {
        Cli.Result r = Cli.run("backends").expect(0);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("NAME +VERSION +PRIORITY +CAPABILITIES +DEFAULT"), lines.get(0));
        String tf = lines.stream()
                .filter(l -> l.startsWith("tensorflow "))
                .findFirst()
                .orElseThrow();
        assertTrue(tf.contains("TensorFlow 2."), tf);
        assertTrue(tf.contains(" 100 "), tf);
        assertTrue(tf.contains("CPU") && tf.contains("DETERMINISTIC"), tf);
        assertTrue(tf.endsWith("*"), tf);
        assertTrue(r.out().contains("default: tensorflow ("), r.out());
        assertEquals("", r.err());
    }

    @Test
    void helpAndVersion() {
        Cli.Result help = Cli.run("train", "--help").expect(0);
        assertTrue(help.out().contains("--checkpoint-every"), help.out());
        String flat = help.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("Default when neither --epochs nor --steps is given: 1000"), help.out());
        Cli.Result v = Cli.run("--version").expect(0);
        assertTrue(v.out().startsWith("acgan "), v.out());
        Cli.Result none = Cli.run().expect(0);
        assertTrue(none.out().contains("Commands:"), none.out());
    }
}
