package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code acgan serve} stays on loopback unless told otherwise, and then warns. Nothing here binds a socket. */
class ServeExposureTest {

    @Test
    void aHostOtherMachinesReachNeedsAllowRemote() {
        Cli.Result r = Cli.run("serve", "--host", "0.0.0.0", "--port", "0").expect(AcganCli.EXIT_USAGE);
        assertEquals(
                List.of("acgan serve: --host 0.0.0.0 would let other machines reach the server, which has no "
                        + "authentication; add --allow-remote to do that anyway, or keep the default 127.0.0.1"),
                r.errLines());
        CliException e = assertThrows(
                CliException.class, () -> ServeCommand.checkExposure("::", false, new PrintWriter(new StringWriter())));
        assertEquals(AcganCli.EXIT_USAGE, e.exitCode());
    }

    @Test
    void allowedRemoteHostsAreWarnedAboutAndLoopbackHostsPassQuietly() {
        StringWriter err = new StringWriter();
        ServeCommand.checkExposure("0.0.0.0", true, new PrintWriter(err));
        assertTrue(
                err.toString()
                        .startsWith("acgan serve: WARNING: listening on 0.0.0.0, reachable from other " + "machines"),
                err.toString());
        for (String loopback : List.of("127.0.0.1", "127.3.2.1", "localhost", "::1")) {
            StringWriter quiet = new StringWriter();
            ServeCommand.checkExposure(loopback, false, new PrintWriter(quiet));
            assertEquals("", quiet.toString(), loopback);
        }
    }
}
