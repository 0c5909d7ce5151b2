using System.CommandLine;
using System.CommandLine.Invocation;
using Grpc.Net.Client;

namespace KpRegistry.Cli;

/// <summary>
/// The kpreg command tree. Program.cs runs it on the console; a test builds it with its own
/// writers (and, for an in-process server, its own channel factory) and runs any command line.
/// </summary>
public static class KpregCli
{
    /// <summary>Exit code of a successful command, and of <c>verify</c> for a VALID certificate.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code of a failed call, a user error or a parse error.</summary>
    public const int ExitError = 1;

    /// <summary>Exit code of <c>verify</c> for an INVALID certificate.</summary>
    public const int ExitInvalid = 2;

    /// <summary>The command tree writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static RootCommand Build(TextWriter output, TextWriter error) =>
        Build(new KpregContext { Output = output, Error = error });

    /// <summary>The command tree for <paramref name="context"/>.</summary>
    public static RootCommand Build(KpregContext context)
    {
        var common = new CommonOptions(context);
        var root = new RootCommand("kpreg: the Kimberley Process registry's command line for operators and authorities");
        foreach (var option in common.All)
            root.Options.Add(option);
        root.Subcommands.Add(ParticipantsCommands.Build(context, common));
        root.Subcommands.Add(KeysCommands.Build(context, common));
        root.Subcommands.Add(CertificatesCommands.Build(context, common));
        root.Subcommands.Add(VerifyCommand.Build(context, common));
        root.Subcommands.Add(TrustListCommands.Build(context, common));
        root.Subcommands.Add(RevocationsCommands.Build(context, common));
        root.Subcommands.Add(LogCommands.Build(context, common));
        root.Subcommands.Add(StatisticsCommands.Build(context, common));
        return root;
    }

    /// <summary>Parses and runs one command line; parse errors and help go to the context's writers.</summary>
    public static Task<int> InvokeAsync(IReadOnlyList<string> args, KpregContext context, CancellationToken cancellationToken = default)
    {
        var root = Build(context);
        var configuration = new InvocationConfiguration { Output = context.Output, Error = context.Error };
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction onError)
        {
            // The error lines, then a pointer to help, rather than the whole help under them.
            onError.ShowHelp = false;
            return ReportParseErrorsAsync(parse, configuration, context, cancellationToken);
        }

        return parse.InvokeAsync(configuration, cancellationToken);
    }

    private static async Task<int> ReportParseErrorsAsync(ParseResult parse, InvocationConfiguration configuration, KpregContext context, CancellationToken cancellationToken)
    {
        var exitCode = await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        var path = string.Join(' ', CommandPath(parse.CommandResult.Command, parse.RootCommandResult.Command));
        await context.Error.WriteLineAsync($"see: {path} --help").ConfigureAwait(false);
        return exitCode == ExitOk ? ExitError : exitCode;
    }

    private static IEnumerable<string> CommandPath(Command command, Command root)
    {
        var names = new Stack<string>();
        for (var c = command; c is not null && c != root; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Push(c.Name);
        names.Push("kpreg");
        return names;
    }

    /// <summary>
    /// Sets the command's action: runs <paramref name="body"/> and turns every exception into an
    /// "error: ..." line and exit code 1, never a stack trace.
    /// </summary>
    internal static void SetRun(this Command command, KpregContext context, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Output.Error(context.Error, e);
                return ExitError;
            }
        });

    /// <summary>The channel for the parsed connection options; anonymous drops any client certificate.</summary>
    internal static GrpcChannel Connect(this KpregContext context, CommonOptions common, ParseResult parse, bool anonymous = false)
    {
        var settings = common.Resolve(parse);
        return context.ChannelFactory(anonymous ? settings.Anonymous() : settings);
    }

    /// <summary>The bytes of a file the user named, or a message that names it.</summary>
    internal static async Task<byte[]> ReadFileAsync(string path, string what, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new CliException($"{what} not found: {path}");
        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }
}
