using RwHarness.Results;

namespace RwHarness.Scenarios.Stress;

/// <summary>Counts of graded outcomes, in the style of jcstress: each distinct outcome keeps its grade and count.</summary>
internal sealed class OutcomeHistogram
{
    private readonly Dictionary<string, (long Count, string Grade)> counts = [];

    public void Add(string outcome, string grade)
    {
        counts[outcome] = counts.TryGetValue(outcome, out var c) ? (c.Count + 1, c.Grade) : (1, grade);
    }

    public bool AnyForbidden => counts.Values.Any(c => c.Grade == Grades.Forbidden && c.Count > 0);

    /// <summary>Forbidden outcomes first, then the most frequent.</summary>
    public List<OutcomeCount> ToList() =>
    [
        .. counts
            .OrderBy(kv => kv.Value.Grade == Grades.Forbidden ? 0 : kv.Value.Grade == Grades.Interesting ? 1 : 2)
            .ThenByDescending(kv => kv.Value.Count)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new OutcomeCount { Outcome = kv.Key, Count = kv.Value.Count, Grade = kv.Value.Grade }),
    ];
}
