using System.CommandLine;
using System.Text;
using ActorNet.Security;

namespace ActorNet.Node.Cli;

/// <summary><c>actornet hash-password</c>: prints the PBKDF2 hash to store in <c>actornet.chat.opers</c>. The password
/// comes from standard input (one line; typed without echo on a terminal), never from the command line, where it
/// would land in the shell history and the process list.</summary>
public static class HashPasswordCommand
{
    public static Command Build(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var iterations = new Option<int>("--iterations") { Description = $"PBKDF2 iterations ({PasswordHash.MinIterations}..{PasswordHash.MaxIterations})", DefaultValueFactory = _ => PasswordHash.DefaultIterations };
        var command = new Command("hash-password", "Read a password from stdin and print its hash for actornet.chat.opers (NAME = \"HASH\").") { iterations };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(iterations);
            if (n is < PasswordHash.MinIterations or > PasswordHash.MaxIterations)
            {
                stderr.WriteLine($"actornet: --iterations must be {PasswordHash.MinIterations}..{PasswordHash.MaxIterations} (got {n})");
                return ExitCodes.InvalidConfig;
            }

            var password = ReadPassword(stdin, stderr);
            if (string.IsNullOrEmpty(password) || password.Contains(' '))
            {
                stderr.WriteLine("actornet: give a non-empty password without spaces on standard input");
                return ExitCodes.InvalidConfig;
            }

            stdout.WriteLine(PasswordHash.Create(password, n));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? ReadPassword(TextReader stdin, TextWriter stderr)
    {
        if (!ReferenceEquals(stdin, Console.In) || Console.IsInputRedirected) return stdin.ReadLine();
        stderr.Write("password: ");
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; }
            else if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }

        stderr.WriteLine();
        return text.ToString();
    }
}
