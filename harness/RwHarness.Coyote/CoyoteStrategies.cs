using Microsoft.Coyote;

namespace RwHarness.Coyote;

/// <summary>
/// Coyote 1.7's exploration strategies under the names RwHarness uses. Results label them with a
/// <c>coyote-</c> prefix (<c>coyote-pct</c>).
/// </summary>
public static class CoyoteStrategies
{
    /// <summary>Uniformly random choice at every scheduling point (Configuration.WithRandomStrategy).</summary>
    public const string Random = "random";

    /// <summary>Random, but switches task only with probability 0.5^N (WithProbabilisticStrategy(N), default N=3).</summary>
    public const string Probabilistic = "probabilistic";

    /// <summary>Priority-based, Coyote's PCT (WithPrioritizationStrategy(false, bound)).</summary>
    public const string Pct = "pct";

    /// <summary>PCT with a fair suffix: catches liveness bugs (WithPrioritizationStrategy(true, bound)).</summary>
    public const string FairPct = "fair-pct";

    /// <summary>Delay-bounding (WithDelayBoundingStrategy(false, bound)).</summary>
    public const string DelayBounding = "delay-bounding";

    /// <summary>Delay-bounding with a fair suffix (WithDelayBoundingStrategy(true, bound)).</summary>
    public const string FairDelayBounding = "fair-delay-bounding";

    /// <summary>Reinforcement learning over schedules (WithQLearningStrategy).</summary>
    public const string QLearning = "q-learning";

    /// <summary>
    /// Coyote's default exploration: its tuned (fair) portfolio of strategies, used when no strategy is set
    /// explicitly. Coyote 1.7.11 keeps WithPortfolioMode and WithDFSStrategy internal, so the unfair portfolio
    /// and Coyote's DFS are not offered.
    /// </summary>
    public const string Portfolio = "portfolio";

    public static IReadOnlyList<string> Names { get; } =
        [Random, Probabilistic, Pct, FairPct, DelayBounding, FairDelayBounding, QLearning, Portfolio];

    /// <summary>The label written to results: <c>coyote-</c> + name.</summary>
    public static string Label(string strategy) => "coyote-" + Normalize(strategy);

    /// <summary>Accepts a name with or without the <c>coyote-</c> prefix, and <c>prioritization</c> for <c>pct</c>.</summary>
    public static string Normalize(string strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var s = strategy.Trim().ToLowerInvariant();
        if (s.StartsWith("coyote-", StringComparison.Ordinal))
        {
            s = s["coyote-".Length..];
        }
        s = s switch
        {
            "prioritization" => Pct,
            "fair-prioritization" => FairPct,
            "qlearning" => QLearning,
            "default" or "fair-portfolio" => Portfolio,
            _ => s,
        };
        if (!Names.Contains(s))
        {
            throw new ArgumentException($"unknown Coyote strategy '{strategy}' (known: {string.Join(", ", Names)})", nameof(strategy));
        }
        return s;
    }

    internal static Configuration Apply(Configuration config, string strategy, uint? bound) => Normalize(strategy) switch
    {
        Random => config.WithRandomStrategy(),
        Probabilistic => config.WithProbabilisticStrategy(bound ?? 3),
        Pct => config.WithPrioritizationStrategy(false, bound ?? 10),
        FairPct => config.WithPrioritizationStrategy(true, bound ?? 10),
        DelayBounding => config.WithDelayBoundingStrategy(false, bound ?? 10),
        FairDelayBounding => config.WithDelayBoundingStrategy(true, bound ?? 10),
        QLearning => config.WithQLearningStrategy(),
        Portfolio => config,
        _ => throw new ArgumentException($"unknown Coyote strategy '{strategy}'", nameof(strategy)),
    };
}
