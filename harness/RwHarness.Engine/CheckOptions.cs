using System.Globalization;

namespace RwHarness.Engine;

/// <summary>
/// The budget and strategy of one exploration. Every field can be overridden from the environment
/// (<see cref="FromEnvironment"/>), so CI can search deeper than a developer's laptop without code changes.
/// </summary>
public sealed record CheckOptions
{
    public static readonly IReadOnlyList<string> StrategyNames = ["random", "pct", "dfs"];

    /// <summary>random, pct or dfs.</summary>
    public string Strategy { get; init; } = "random";

    /// <summary>Executions to run (dfs stops earlier when it has covered everything).</summary>
    public long Iterations { get; init; } = 1000;

    public long Seed { get; init; } = 1;

    /// <summary>Scheduling steps one execution may take before it is reported as a potential livelock.</summary>
    public int MaxSteps { get; init; } = 5000;

    /// <summary>Stop exploring after this long (results then depend on the machine's speed).</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Workers exploring at once (random and pct; dfs runs on one). Results do not depend on it.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>PCT's bug depth d.</summary>
    public int PctDepth { get; init; } = 3;

    /// <summary>dfs: the most preemptions a schedule may contain; null for none (fully exhaustive).</summary>
    public int? PreemptionBound { get; init; }

    /// <summary>How long a thread may run without reaching a scheduling point before it counts as blocked outside ISync.</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Applies RWH_STRATEGY, RWH_ITERATIONS, RWH_SEED, RWH_MAX_STEPS, RWH_TIME_BUDGET (e.g. 30s),
    /// RWH_PARALLEL, RWH_PCT_DEPTH, RWH_PREEMPTION_BOUND and RWH_WATCHDOG over <paramref name="defaults"/>.
    /// </summary>
    public static CheckOptions FromEnvironment(CheckOptions? defaults = null)
    {
        var o = defaults ?? new CheckOptions();
        if (Env("RWH_STRATEGY") is { } s)
        {
            o = o with { Strategy = s };
        }
        if (Env("RWH_ITERATIONS") is { } i)
        {
            o = o with { Iterations = ParseLong("RWH_ITERATIONS", i) };
        }
        if (Env("RWH_SEED") is { } seed)
        {
            o = o with { Seed = ParseLong("RWH_SEED", seed) };
        }
        if (Env("RWH_MAX_STEPS") is { } m)
        {
            o = o with { MaxSteps = (int)ParseLong("RWH_MAX_STEPS", m) };
        }
        if (Env("RWH_TIME_BUDGET") is { } t)
        {
            o = o with { TimeBudget = Durations.Parse(t) };
        }
        if (Env("RWH_PARALLEL") is { } p)
        {
            o = o with { Parallel = (int)ParseLong("RWH_PARALLEL", p) };
        }
        if (Env("RWH_PCT_DEPTH") is { } d)
        {
            o = o with { PctDepth = (int)ParseLong("RWH_PCT_DEPTH", d) };
        }
        if (Env("RWH_PREEMPTION_BOUND") is { } b)
        {
            o = o with { PreemptionBound = (int)ParseLong("RWH_PREEMPTION_BOUND", b) };
        }
        if (Env("RWH_WATCHDOG") is { } w)
        {
            o = o with { Watchdog = Durations.Parse(w) };
        }
        o.Validate();
        return o;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when an option is out of range.</summary>
    public void Validate()
    {
        if (!StrategyNames.Contains(Strategy))
        {
            throw new ArgumentException($"unknown strategy '{Strategy}' (expected one of: {string.Join(", ", StrategyNames)})");
        }
        if (Iterations < 1)
        {
            throw new ArgumentException("iterations must be at least 1");
        }
        if (MaxSteps < 1)
        {
            throw new ArgumentException("max steps must be at least 1");
        }
        if (Parallel < 1 || Parallel > 256)
        {
            throw new ArgumentException("parallel must be between 1 and 256");
        }
        if (PctDepth < 1 || PctDepth > 64)
        {
            throw new ArgumentException("pct depth must be between 1 and 64");
        }
        if (PreemptionBound is < 0)
        {
            throw new ArgumentException("preemption bound must not be negative");
        }
        if (Watchdog <= TimeSpan.Zero)
        {
            throw new ArgumentException("watchdog must be positive");
        }
        if (TimeBudget is { } tb && tb <= TimeSpan.Zero)
        {
            throw new ArgumentException("time budget must be positive");
        }
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v.Trim() : null;

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ArgumentException($"{name}='{value}' is not a whole number");
}

/// <summary>Parses durations such as 500ms, 30s, 2m, 1h or a plain number of seconds.</summary>
public static class Durations
{
    public static TimeSpan Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        (string number, double scale) = t switch
        {
            _ when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 0.001),
            _ when t.EndsWith('s') => (t[..^1], 1.0),
            _ when t.EndsWith('m') => (t[..^1], 60.0),
            _ when t.EndsWith('h') => (t[..^1], 3600.0),
            _ => (t, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v <= 0 || double.IsInfinity(v))
        {
            throw new ArgumentException($"'{text}' is not a duration (examples: 500ms, 30s, 2m)");
        }
        return TimeSpan.FromSeconds(v * scale);
    }
}
