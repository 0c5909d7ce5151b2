using KpRegistry.Server.Hosting;

if (args.Contains(HealthProbe.Flag))
{
    return await HealthProbe.RunAsync(args);
}

WebApplication app;
try
{
    app = await RegistryApp.BuildAsync(args);
}
catch (StartupRefusedException refused)
{
    // A configuration the registry refuses is the operator's to fix: say what, exit non-zero, no trace.
    await Console.Error.WriteLineAsync(refused.Message);
    return StartupRefusedException.ExitCode;
}
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests.</summary>
public partial class Program;
