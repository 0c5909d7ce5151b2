using KpRegistry.Server.Hosting;

if (args.Contains(HealthProbe.Flag))
{
    return await HealthProbe.RunAsync(args);
}

WebApplication app = await RegistryApp.BuildAsync(args);
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests.</summary>
public partial class Program;
