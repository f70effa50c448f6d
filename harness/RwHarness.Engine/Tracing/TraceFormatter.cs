using System.Text;
using RwHarness.Results;

namespace RwHarness.Engine.Tracing;

/// <summary>
/// Prints an interleaving one line per operation: step, thread, operation, location, value before and
/// after, then the lock's state. The format is pinned by golden-file tests; change it on purpose only.
/// </summary>
public static class TraceFormatter
{
    public static List<string> Lines(IReadOnlyList<TraceStep> steps, IReadOnlyList<string> threads)
    {
        var lines = new List<string>(steps.Count);
        foreach (var s in steps)
        {
            lines.Add(Line(s, threads));
        }
        return lines;
    }

    public static string Line(TraceStep s, IReadOnlyList<string> threads)
    {
        var who = s.Thread >= 0 && s.Thread < threads.Count ? threads[s.Thread] : "--";
        var sb = new StringBuilder();
        if (s.Op == "note")
        {
            sb.Append(' ', 6).Append(who.PadRight(4)).Append("  .. ").Append(s.Note);
            return sb.ToString();
        }
        sb.Append('#').Append(s.Step.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(4)).Append(' ');
        sb.Append(who.PadRight(4)).Append(' ');
        sb.Append(s.Op.PadRight(15)).Append(' ');
        sb.Append(s.Location.PadRight(18)).Append(' ');
        if (s.Before is not null || s.After is not null)
        {
            sb.Append((s.Before ?? "").PadLeft(11)).Append(" -> ").Append((s.After ?? "").PadRight(11));
        }
        else
        {
            sb.Append(' ', 26);
        }
        if (s.Note is not null)
        {
            sb.Append(" ; ").Append(s.Note);
        }
        if (!string.IsNullOrEmpty(s.State))
        {
            sb.Append(" | ").Append(s.State);
        }
        return sb.ToString().TrimEnd();
    }
}
