namespace RwHarness.Cli;

/// <summary>Bad usage or input: printed as one line, exit code 2, never a stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
