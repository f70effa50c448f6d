using System.Globalization;

namespace RwHarness.Coyote.Tests;

/// <summary>Exploration budgets from the environment, so CI can go deeper: RWH_ITERATIONS, RWH_SEED.</summary>
internal static class Budget
{
    public static uint Iterations { get; } =
        uint.TryParse(Environment.GetEnvironmentVariable("RWH_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 200;

    public static uint Seed { get; } =
        uint.TryParse(Environment.GetEnvironmentVariable("RWH_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 20240612;

    public static CoyoteOptions Options(string strategy = CoyoteStrategies.Random, uint? iterations = null) => new()
    {
        Strategy = strategy,
        Iterations = iterations ?? Iterations,
        Seed = Seed,
        MaxSteps = 2000,
    };
}
