using System.Globalization;
using System.Text;

namespace RwHarness.Engine;

/// <summary>
/// A compact, self-contained recipe for one schedule:
/// <c>rwh1:LOCK:SCENARIO:STRATEGY:SEED:ITERATION:MAXSTEPS:DECISIONS</c>.
/// DECISIONS lists the thread chosen at every point where more than one could run, run-length encoded:
/// a letter per thread (a = T0 … z = T25, A = T26 … Z = T51), followed by a count when it repeats
/// (<c>a3bA</c> = T0 T0 T0 T1 T26). Replaying it reproduces the execution bit for bit.
/// </summary>
public sealed record ReplayToken(
    string Lock,
    string Scenario,
    string Strategy,
    long Seed,
    long Iteration,
    int MaxSteps,
    IReadOnlyList<int> Decisions)
{
    public const string Prefix = "rwh1";

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Prefix).Append(':').Append(Lock).Append(':').Append(Scenario).Append(':').Append(Strategy)
            .Append(':').Append(Seed.ToString(CultureInfo.InvariantCulture))
            .Append(':').Append(Iteration.ToString(CultureInfo.InvariantCulture))
            .Append(':').Append(MaxSteps.ToString(CultureInfo.InvariantCulture))
            .Append(':').Append(EncodeDecisions(Decisions));
        return sb.ToString();
    }

    public static string EncodeDecisions(IReadOnlyList<int> decisions)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < decisions.Count)
        {
            var d = decisions[i];
            var run = 1;
            while (i + run < decisions.Count && decisions[i + run] == d)
            {
                run++;
            }
            sb.Append(Letter(d));
            if (run > 1)
            {
                sb.Append(run.ToString(CultureInfo.InvariantCulture));
            }
            i += run;
        }
        return sb.ToString();
    }

    public static List<int> DecodeDecisions(string text)
    {
        var list = new List<int>();
        var i = 0;
        while (i < text.Length)
        {
            var thread = Thread(text[i++]);
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            var run = 1;
            if (i > start && (!int.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out run) || run < 2 || run > 100_000_000))
            {
                throw new FormatException($"bad repeat count '{text[start..i]}' in the schedule");
            }
            list.AddRange(Enumerable.Repeat(thread, run));
        }
        return list;
    }

    /// <summary>Parses a token; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static ReplayToken Parse(string token)
    {
        var parts = token.Trim().Split(':');
        if (parts.Length != 8 || parts[0] != Prefix)
        {
            throw new FormatException($"not a native replay token (expected {Prefix}:LOCK:SCENARIO:STRATEGY:SEED:ITERATION:MAXSTEPS:DECISIONS)");
        }
        if (!long.TryParse(parts[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var iteration)
            || !int.TryParse(parts[6], NumberStyles.None, CultureInfo.InvariantCulture, out var maxSteps) || maxSteps < 1)
        {
            throw new FormatException("the token's seed, iteration or step bound is not a number");
        }
        if (parts[1].Length == 0 || parts[2].Length == 0)
        {
            throw new FormatException("the token names no lock or no scenario");
        }
        return new ReplayToken(parts[1], parts[2], parts[3], seed, iteration, maxSteps, DecodeDecisions(parts[7]));
    }

    private static char Letter(int thread) => thread switch
    {
        >= 0 and < 26 => (char)('a' + thread),
        >= 26 and < 52 => (char)('A' + thread - 26),
        _ => throw new ArgumentOutOfRangeException(nameof(thread), "replay tokens support up to 52 threads"),
    };

    private static int Thread(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= 'A' and <= 'Z' => c - 'A' + 26,
        _ => throw new FormatException($"unexpected character '{c}' in the schedule"),
    };
}
