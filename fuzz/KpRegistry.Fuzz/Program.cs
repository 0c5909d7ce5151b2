using KpRegistry.Fuzz;

return FuzzProgram.Execute(args);
