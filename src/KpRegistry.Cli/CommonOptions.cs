using System.CommandLine;
using KpRegistry.Domain.Certificates;

namespace KpRegistry.Cli;

/// <summary>
/// The options every command takes (connection and output), and the small option builders the
/// command groups share. Defaults read the environment through the context, so a test can set them.
/// </summary>
internal sealed class CommonOptions
{
    public const string DefaultServer = "https://localhost:7443";
    public const string DefaultCertsDir = "certs/dev";

    private readonly KpregContext _context;

    public CommonOptions(KpregContext context)
    {
        _context = context;
        Server = new Option<string>("--server")
        {
            Description = "Registry address [env KPREG_SERVER]",
            Recursive = true,
            DefaultValueFactory = _ => context.Environment("KPREG_SERVER") ?? DefaultServer,
        };
        Ca = new Option<string>("--ca")
        {
            Description = "PEM of the CA that signed the server certificate; the only CA trusted [env KPREG_CA; default <certs dir>/ca.crt]",
            Recursive = true,
        };
        Cert = new Option<string>("--cert")
        {
            Description = "Client certificate PEM for mutual TLS [env KPREG_CERT]",
            Recursive = true,
        };
        Key = new Option<string>("--key")
        {
            Description = "Private key PEM of the client certificate [env KPREG_KEY]",
            Recursive = true,
        };
        As = new Option<string>("--as")
        {
            Description = "Act as NAME: <certs dir>/NAME.crt and NAME.key, e.g. --as BW-authority or --as admin",
            Recursive = true,
            HelpName = "NAME",
        };
        CertsDir = new Option<string>("--certs-dir")
        {
            Description = "Folder of the certificates that --as and the default --ca name [env KPREG_CERTS_DIR]",
            Recursive = true,
            DefaultValueFactory = _ => context.Environment("KPREG_CERTS_DIR") ?? DefaultCertsDir,
        };
        Json = new Option<bool>("--json")
        {
            Description = "Print the response as protobuf JSON",
            Recursive = true,
        };
        Server.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                result.AddError($"--server must be an absolute https:// (or http://) address, not '{value}'");
        });
    }

    public Option<string> Server { get; }
    public Option<string> Ca { get; }
    public Option<string> Cert { get; }
    public Option<string> Key { get; }
    public Option<string> As { get; }
    public Option<string> CertsDir { get; }
    public Option<bool> Json { get; }

    public IEnumerable<Option> All => [Server, Ca, Cert, Key, As, CertsDir, Json];

    /// <summary>
    /// The connection the options name. An explicit option beats the environment; --as excludes
    /// --cert and --key.
    /// </summary>
    public ConnectionSettings Resolve(ParseResult parse)
    {
        var certsDir = parse.GetValue(CertsDir) ?? DefaultCertsDir;
        var server = new Uri(parse.GetValue(Server) ?? DefaultServer, UriKind.Absolute);
        var ca = parse.GetValue(Ca) ?? _context.Environment("KPREG_CA") ?? Path.Combine(certsDir, "ca.crt");

        var name = parse.GetValue(As);
        var cert = parse.GetValue(Cert);
        var key = parse.GetValue(Key);
        if (name is not null)
        {
            if (cert is not null || key is not null)
                throw new CliException("use either --as or --cert/--key, not both");
            if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0)
                throw new CliException($"--as takes a certificate name such as BW-authority, not '{name}'");
            return new ConnectionSettings(server, ca, Path.Combine(certsDir, name + ".crt"), Path.Combine(certsDir, name + ".key"));
        }

        cert ??= _context.Environment("KPREG_CERT");
        key ??= _context.Environment("KPREG_KEY");
        if ((cert is null) != (key is null))
            throw new CliException(cert is null ? "--key needs --cert (or KPREG_CERT)" : "--cert needs --key (or KPREG_KEY)");
        return new ConnectionSettings(server, ca, cert, key);
    }

    /// <summary>An optional "YYYY-MM-DD" option, refused at parse time when it is no such date.</summary>
    public static Option<string> DateOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description + " (YYYY-MM-DD)", HelpName = "DATE" };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !CertificateDates.TryParse(value, out _))
                result.AddError($"{name} must be a date YYYY-MM-DD, not '{value}'");
        });
        return option;
    }

    /// <summary>A participant code argument ("BW", "EU"); lower case is accepted and upper-cased.</summary>
    public static Argument<string> ParticipantArgument(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description, CustomParser = r => Upper(r.Tokens[0].Value) };
        argument.Validators.Add(result => CheckParticipantCode(result.GetValueOrDefault<string>(), name, result.AddError));
        return argument;
    }

    /// <summary>A participant code option ("--issuer BW").</summary>
    public static Option<string> ParticipantOption(string name, string description, bool required)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            Required = required,
            HelpName = "CODE",
            CustomParser = r => Upper(r.Tokens[0].Value),
        };
        option.Validators.Add(result => CheckParticipantCode(result.GetValueOrDefault<string>(), name, result.AddError));
        return option;
    }

    /// <summary>The algorithm option; the word is checked at parse time.</summary>
    public static Option<string> AlgorithmOption(string description, string? defaultWord)
    {
        var option = new Option<string>("--algorithm") { Description = description, HelpName = "ALGORITHM" };
        if (defaultWord is not null)
            option.DefaultValueFactory = _ => defaultWord;
        option.AcceptOnlyFromAmong(Words.AlgorithmWords);
        return option;
    }

    private static string Upper(string value) => value.ToUpperInvariant();

    private static void CheckParticipantCode(string? code, string name, Action<string> addError)
    {
        if (code is not null && (code.Length != 2 || !code.All(char.IsAsciiLetterUpper)))
            addError($"{name} must be a participant code of two letters such as BW or EU, not '{code}'");
    }
}
