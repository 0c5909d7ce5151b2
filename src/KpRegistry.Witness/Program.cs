using KpRegistry.Witness;

WitnessApp.Build(args).Run();
