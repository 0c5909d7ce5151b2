using KpRegistry.Cli;

return await KpregCli.InvokeAsync(args, KpregContext.Console()).ConfigureAwait(false);
