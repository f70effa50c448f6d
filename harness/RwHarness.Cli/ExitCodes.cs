namespace RwHarness.Cli;

public static class ExitCodes
{
    /// <summary>Everything held.</summary>
    public const int Ok = 0;

    /// <summary>A bug was found, or the gate failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or input.</summary>
    public const int Usage = 2;
}
