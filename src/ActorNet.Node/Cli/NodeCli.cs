using System.CommandLine;
using ActorNet.Node.Hosting;

namespace ActorNet.Node.Cli;

/// <summary>The <c>actornet</c> command line: <c>run</c>, <c>check</c>, <c>ctl</c>, <c>hash-password</c>, <c>bench</c>, <c>--version</c>, <c>--help</c>.</summary>
public static class NodeCli
{
    /// <summary>Config file used when <c>--config</c> is not given, relative to the current directory.</summary>
    public const string DefaultConfigPath = "config/node.conf";

    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null)
    {
        var output = stdout ?? Console.Out;
        var error = stderr ?? Console.Error;
        var root = BuildRootCommand(output, error, stdin);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Signals belong to the Generic Host (ConsoleLifetime), which runs CoordinatedShutdown.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return root.Parse(args).InvokeAsync(invocation);
    }

    /// <summary>Builds the command tree (exposed for help/usage tests).</summary>
    public static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        var root = new RootCommand("ActorNet: an Akka.NET messaging node (TCP/UDP listeners, chat, relay).");

        var runConfig = ConfigOption();
        var runSet = SetOption();
        var run = new Command("run", "Run the node until SIGINT/SIGTERM.") { runConfig, runSet };
        run.SetAction((parse, _) => RunNodeAsync(ConfigPath(parse, runConfig), Overrides(parse, runSet), stderr));

        var checkConfig = ConfigOption();
        var checkSet = SetOption();
        var check = new Command("check", "Load and validate a configuration; print 'config OK' or every error (exit 2).")
        {
            checkConfig, checkSet,
        };
        check.SetAction(parse => Check(ConfigPath(parse, checkConfig), Overrides(parse, checkSet), stdout, stderr));

        root.Subcommands.Add(run);
        root.Subcommands.Add(check);
        root.Subcommands.Add(CtlCommand.Build(stdout, stderr));
        root.Subcommands.Add(HashPasswordCommand.Build(stdin ?? Console.In, stdout, stderr));
        root.Subcommands.Add(ActorNet.Bench.Cli.BenchCli.Create(stdout, stderr));
        return root;
    }

    /// <summary><c>actornet check</c>: 0 and <c>config OK</c>, or 2 and one error per line on stderr.</summary>
    public static int Check(string path, IReadOnlyList<string> overrides, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var result = NodeConfiguration.Load(path, overrides);
            if (!result.Ok)
                return PrintErrors(result.Errors, stderr);
            stdout.WriteLine("config OK");
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"actornet: could not load or validate {path}: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> RunNodeAsync(string path, IReadOnlyList<string> overrides, TextWriter stderr)
    {
        NodeConfigurationResult result;
        try
        {
            result = NodeConfiguration.Load(path, overrides);
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"actornet: could not load or validate {path}: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }

        if (!result.Ok || result.Settings is null)
            return PrintErrors(result.Errors, stderr);

        return await NodeHost.RunAsync(result.Settings, NodeEntryPoints.Default, stderr);
    }

    private static int PrintErrors(IReadOnlyList<string> errors, TextWriter stderr)
    {
        foreach (var line in errors)
            stderr.WriteLine(line);
        return ExitCodes.InvalidConfig;
    }

    private static Option<string> ConfigOption() => new("--config", "-c")
    {
        Description = "HOCON config file, relative to the current directory",
        HelpName = "PATH",
        DefaultValueFactory = _ => DefaultConfigPath,
    };

    private static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override one config key, e.g. --set actornet.listeners.echo.bind=127.0.0.1:7100 (repeatable; last wins)",
        HelpName = "key=value",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static string ConfigPath(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) is { Length: > 0 } path ? path : DefaultConfigPath;

    private static IReadOnlyList<string> Overrides(ParseResult parse, Option<string[]> option) =>
        parse.GetValue(option) ?? [];
}
