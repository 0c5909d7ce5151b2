namespace KpRegistry.FuzzTests;
public static class Probe { }
