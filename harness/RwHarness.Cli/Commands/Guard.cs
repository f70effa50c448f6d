namespace RwHarness.Cli.Commands;

/// <summary>Runs a verb: bad input becomes one line on stderr and exit code 2, never a stack trace.</summary>
internal static class Guard
{
    /// <summary>Runs an entry point that writes to one writer: its output goes to stdout, or to stderr when it reports bad input.</summary>
    public static int Captured(string verb, Func<TextWriter, int> action) => Run(verb, () =>
    {
        using var buffer = new StringWriter();
        var code = action(buffer);
        (code == ExitCodes.Usage ? Console.Error : Console.Out).Write(buffer.ToString());
        return code;
    });

    public static int Run(string verb, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is UsageException or ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or BadImageFormatException)
        {
            Console.Error.WriteLine($"rwharness {verb}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"rwharness {verb}: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
