namespace RwHarness.Engine.Tests.Programs;

internal static class Budgets
{
    /// <summary>Engine test budgets; RWH_* variables can deepen them in CI.</summary>
    public static CheckOptions For(string strategy, long iterations) =>
        CheckOptions.FromEnvironment(new CheckOptions { Strategy = strategy, Iterations = iterations }) with { Strategy = strategy };
}
