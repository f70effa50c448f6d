namespace RwHarness.Scenarios.Stress;

/// <summary>How long and how hard one stress run hammers a lock.</summary>
public sealed record StressOptions
{
    /// <summary>Wall-clock time one lock x scenario run keeps starting rounds.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Threads of the stress-only hammer and of the writer-preference measurement (scenarios fix their own).</summary>
    public int Threads { get; init; } = Math.Max(4, Environment.ProcessorCount);

    /// <summary>The watchdog: a round (or the writer-preference run's wind-down) that takes longer is reported as stuck.</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stops after this many rounds even if time remains (tests use it to bound an attempt).</summary>
    public long MaxRounds { get; init; } = long.MaxValue;

    public void Validate()
    {
        if (Duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("the stress duration must be positive");
        }
        if (Threads is < 2 or > 64)
        {
            throw new ArgumentException("stress threads must be between 2 and 64");
        }
        if (StuckAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException("the stress watchdog must be positive");
        }
        if (MaxRounds < 1)
        {
            throw new ArgumentException("max rounds must be at least 1");
        }
    }
}
