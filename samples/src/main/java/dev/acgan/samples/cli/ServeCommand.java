package dev.acgan.samples.cli;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.samples.web.ServeOptions;
import dev.acgan.samples.web.WebModule;
import dev.acgan.samples.web.WebServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code acgan serve}: the web demo (Generate and Train pages) on an embedded HTTP server. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Serve the web demo: generate images and train with live charts in a browser.",
        description = {
            "Start a small web server with two pages.",
            "",
            "Generate (/): images of a chosen class (or all), count and seed from a generator checkpoint, with "
                    + "the time taken; sliders for a few latent dimensions; an interpolation strip between two "
                    + "seeds; PNG downloads. It loads --checkpoint, or the newest checkpoint of the training "
                    + "running in the server.",
            "",
            "Train (/train): start a training (backend, model, dataset, epochs, steps, batch size, learning "
                    + "rate), watch its progress, loss curves and class grid live, pause, resume or stop it, and "
                    + "download its newest checkpoint as a zip. One training at a time; each goes into "
                    + "OUTDIR/web-<yyyyMMdd-HHmmss>.",
            "",
            "Binds to 127.0.0.1 (this machine only); another --host needs --allow-remote. Ctrl-C stops the server; a "
                    + "running training finishes its step and writes a checkpoint first.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  acgan serve                                  http://127.0.0.1:8080/",
            "  acgan serve --checkpoint runs/mnist --port 0  a free port; the URL is printed",
            "  acgan serve --backend nd4j --outdir runs/web"
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "ADDR",
            defaultValue = ServeOptions.DEFAULT_HOST,
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only); any address that is "
                    + "not a loopback one (e.g. 0.0.0.0) also needs --allow-remote.")
    String host;

    @Option(
            names = "--allow-remote",
            description = "Allow a --host that other machines can reach (anything but a loopback address). The "
                    + "server has no authentication: anyone who reaches it can generate and start trainings.")
    boolean allowRemote;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "PORT",
            defaultValue = "" + ServeOptions.DEFAULT_PORT,
            description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = {"-k", "--checkpoint"},
            paramLabel = "DIR",
            description = "What the Generate page loads: a run directory (its newest checkpoint, looked up again "
                    + "at each request), a training checkpoint or a generator export. Without it the page uses "
                    + "the training started in the server.")
    Path checkpoint;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            description = "Backend the Generate page runs on, and the Train page's default (see 'acgan backends').")
    String backend;

    @Mixin
    PrecisionOption precision;

    @Option(
            names = {"-o", "--outdir"},
            paramLabel = "DIR",
            defaultValue = ServeOptions.DEFAULT_OUTDIR,
            description = "Where trainings started from the page go, one web-<yyyyMMdd-HHmmss> directory each. "
                    + "Default: ${DEFAULT-VALUE}.")
    Path outdir;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CliException("--port must be between 0 and 65535, got " + port, AcganCli.EXIT_USAGE);
        }
        if (host.isBlank()) {
            throw new CliException("--host must not be empty", AcganCli.EXIT_USAGE);
        }
        checkExposure(host.strip(), allowRemote, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (checkpoint != null) {
            Path dir = GenerateCommand.resolveCheckpoint(checkpoint);
            CheckpointMetadata meta = Checkpoint.read(dir).metadata();
            out.printf(
                    Locale.ROOT,
                    "Generating from %s (%s, step %d)%n",
                    dir,
                    meta.spec().name(),
                    meta.position().step());
        }
        if (backend != null && !backend.isBlank()) {
            Backends found = Backends.discover();
            if (found.find(backend.strip()).isEmpty()) {
                throw new CliException("no backend named '" + backend + "'; found: "
                        + String.join(
                                ", ", found.all().stream().map(GanBackend::name).toList()));
            }
        }
        Precision p = precision.asked();
        GanBackend chosen = Wiring.injector(backend).getInstance(GanBackend.class);
        // bf16 the Generate page's backend cannot compute is an error now, not at the first request.
        Precision resolved = chosen.resolvePrecision(p);
        WebServer server = WebModule.server(new ServeOptions(host.strip(), port, checkpoint, backend, outdir, p))
                .start();
        Thread hook = new Thread(server::close, "acgan-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("acgan serve: " + server.url() + "       Generate");
        out.println("             " + server.url() + "train  Train (runs go into " + outdir + "/web-<time>)");
        precision.print(out, chosen, resolved);
        out.println("Ctrl-C stops the server (a running training writes its checkpoint first).");
        out.flush();
        server.awaitStop();
        return AcganCli.EXIT_INTERRUPTED;
    }

    /**
     * Refuses a host other machines can reach unless {@code allowed}, and warns on {@code err} when it is allowed.
     *
     * @throws CliException (usage) for a non-loopback host without {@code --allow-remote}, or one that does not
     *                      resolve
     */
    static void checkExposure(String host, boolean allowed, PrintWriter err) {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new CliException(
                    "--host " + host + " does not resolve to an address of this machine", AcganCli.EXIT_USAGE);
        }
        if (loopback) {
            return;
        }
        if (!allowed) {
            throw new CliException(
                    "--host " + host + " would let other machines reach the server, which has no "
                            + "authentication; add --allow-remote to do that anyway, or keep the default "
                            + ServeOptions.DEFAULT_HOST,
                    AcganCli.EXIT_USAGE);
        }
        err.println("acgan serve: WARNING: listening on " + host + ", reachable from other machines; anyone who "
                + "reaches it can generate images and start trainings (no authentication)");
        err.flush();
    }
}
