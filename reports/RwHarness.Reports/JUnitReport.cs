using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using RwHarness.Results;

namespace RwHarness.Reports;

/// <summary>
/// Renders junit.xml in the Ant/Jenkins JUnit shape that GitHub Actions, GitLab CI, Jenkins and Azure
/// Pipelines read: &lt;testsuites&gt; with one &lt;testsuite&gt; per engine (rwharness.native,
/// rwharness.coyote), one for stress runs and one for mutants; one &lt;testcase&gt; per
/// lock x scenario x engine x strategy (classname <c>rwharness.ENGINE.LOCK</c>, name <c>SCENARIO [STRATEGY]</c>),
/// per stress run and per mutant. A failure carries the message as its attribute and the interleaving in its body.
/// </summary>
public static class JUnitReport
{
    public const string FileName = "junit.xml";

    public static string Render(RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var suites = new List<XElement>();
        var stamp = results.Run.StartedUtc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var id = 0;

        foreach (var engine in results.Results.GroupBy(c => c.Engine))
        {
            var cases = engine.Select(CaseElement).ToList();
            suites.Add(Suite("rwharness." + engine.Key, stamp, id++, cases, results));
        }
        if (results.Stress.Count > 0)
        {
            suites.Add(Suite("rwharness.stress", stamp, id++, results.Stress.Select(StressElement).ToList(), results));
        }
        if (results.Mutants.Count > 0)
        {
            suites.Add(Suite("rwharness.mutants", stamp, id++, results.Mutants.Select(MutantElement).ToList(), results));
        }
        if (suites.Count == 0)
        {
            suites.Add(Suite("rwharness", stamp, id, [], results));
        }

        var root = new XElement("testsuites",
            new XAttribute("name", "rwharness"),
            new XAttribute("tests", suites.Sum(s => (int)s.Attribute("tests")!)),
            new XAttribute("failures", suites.Sum(s => (int)s.Attribute("failures")!)),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(results.Run.ElapsedMs)),
            suites);
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), root);

        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, settings))
        {
            doc.Save(w);
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static XElement Suite(string name, string stamp, int id, List<XElement> cases, RunResults r)
    {
        var failures = cases.Count(c => c.Element("failure") is not null);
        var time = cases.Sum(c => double.Parse((string)c.Attribute("time")!, CultureInfo.InvariantCulture));
        var m = r.Run.Machine ?? new MachineInfo();
        return new XElement("testsuite",
            new XAttribute("name", name),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            new XAttribute("time", time.ToString("0.000", CultureInfo.InvariantCulture)),
            new XAttribute("timestamp", stamp),
            new XAttribute("hostname", "localhost"),
            new XAttribute("id", id),
            new XAttribute("package", name),
            new XElement("properties",
                Prop("commandLine", r.Run.CommandLine),
                Prop("machine", $"{m.Cores} cores, {m.Os}, {m.Dotnet}"),
                Prop("schemaVersion", r.SchemaVersion)),
            cases);
    }

    private static XElement Prop(string name, string? value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", Clean(value)));

    private static XElement CaseElement(CaseResult c)
    {
        var e = TestCase($"rwharness.{c.Engine}.{c.Lock}", $"{c.Scenario} [{c.Strategy}]", c.ElapsedMs);
        if (c.Verdict == Verdicts.Fail)
        {
            var f = c.Failure ?? new FailureInfo { Kind = "fail", Message = c.Note ?? "the case failed" };
            e.Add(new XElement("failure",
                new XAttribute("message", Clean(OneLine($"{f.Kind}: {f.Message}"))),
                new XAttribute("type", Clean(f.Kind)),
                Clean(FailureBody(f, c))));
        }
        else
        {
            var o = new StringBuilder();
            o.Append(CultureInfo.InvariantCulture, $"{c.Iterations} executions, {c.DistinctInterleavings} distinct interleavings, {c.Steps} steps, coverage {c.Coverage}, expected {c.Expected}\n");
            if (c.Witness is { } w)
            {
                o.Append(CultureInfo.InvariantCulture, $"expected outcome shown ({w.Kind}): {w.Message}\n");
                if (!string.IsNullOrEmpty(w.Replay))
                {
                    o.Append("replay: rwharness replay ").Append(w.Replay).Append('\n');
                }
            }
            if (!string.IsNullOrEmpty(c.Note))
            {
                o.Append("note: ").Append(c.Note).Append('\n');
            }
            e.Add(new XElement("system-out", Clean(o.ToString())));
        }
        return e;
    }

    private static XElement StressElement(StressResult s)
    {
        var e = TestCase($"rwharness.stress.{s.Lock}", $"{s.Scenario} [{s.Threads} threads]", s.DurationMs);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"{s.Rounds} rounds, max readers together {s.MaxReadersTogether}, overlaps {s.Overlaps}\n");
        foreach (var o in s.Outcomes)
        {
            body.Append(CultureInfo.InvariantCulture, $"{o.Count,14}  {o.Grade,-11}  {o.Outcome}\n");
        }
        if (s.Verdict == Verdicts.Fail)
        {
            var forbidden = s.Outcomes.Where(o => o.Grade == Grades.Forbidden && o.Count > 0).Select(o => $"{o.Outcome} x{o.Count}");
            var message = s.Message ?? "forbidden outcome seen: " + string.Join(", ", forbidden);
            e.Add(new XElement("failure", new XAttribute("message", Clean(OneLine(message))), new XAttribute("type", "stress"), Clean(message + "\n\n" + body)));
        }
        else
        {
            e.Add(new XElement("system-out", Clean(body.ToString())));
        }
        return e;
    }

    private static XElement MutantElement(MutantResult m)
    {
        var e = TestCase($"rwharness.mutants.{m.Engine}", m.Mutant, 0);
        if (!m.Caught)
        {
            e.Add(new XElement("failure",
                new XAttribute("message", Clean(OneLine($"mutant survived: {m.Description}"))),
                new XAttribute("type", "mutant-survived"),
                Clean($"No scenario caught mutant {m.Mutant} ({m.Description}) within its budget.")));
        }
        else
        {
            var o = $"caught by {m.Scenario} [{m.Strategy}] after {m.Schedules} schedules";
            if (m.Failure is { } f)
            {
                o += $"\n{f.Kind}: {f.Message}" + (string.IsNullOrEmpty(f.Replay) ? "" : $"\nreplay: rwharness replay {f.Replay}");
            }
            e.Add(new XElement("system-out", Clean(o)));
        }
        return e;
    }

    private static XElement TestCase(string classname, string name, long ms) =>
        new("testcase",
            new XAttribute("classname", Clean(classname)),
            new XAttribute("name", Clean(name)),
            new XAttribute("time", Seconds(ms)));

    /// <summary>The failure body: message, replay command, minimal program, then the interleaving one line per step.</summary>
    internal static string FailureBody(FailureInfo f, CaseResult? c)
    {
        var sb = new StringBuilder();
        sb.Append(f.Kind).Append(": ").Append(f.Message).Append('\n');
        if (c is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"lock {c.Lock}, scenario {c.Scenario}, engine {c.Engine}, strategy {c.Strategy}, iteration {f.Iteration}\n");
        }
        if (!string.IsNullOrEmpty(f.Replay))
        {
            sb.Append("replay: rwharness replay ").Append(f.Replay).Append('\n');
        }
        if (!string.IsNullOrEmpty(f.Program))
        {
            sb.Append("\nminimal program:\n").Append(f.Program).Append('\n');
        }
        sb.Append("\ninterleaving:\n");
        foreach (var line in Interleaving(f))
        {
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The readable interleaving: the recorded trace lines, or lines formatted from the structured steps.</summary>
    internal static IEnumerable<string> Interleaving(FailureInfo f)
    {
        if (f.Trace is { Count: > 0 })
        {
            for (var i = 0; i < f.Trace.Count; i++)
            {
                yield return i == f.FailingStep ? f.Trace[i] + "   <-- fails here" : f.Trace[i];
            }
            yield break;
        }
        for (var i = 0; i < f.Steps.Count; i++)
        {
            var s = f.Steps[i];
            var who = s.Thread >= 0 && s.Thread < f.Threads.Count ? f.Threads[s.Thread] : "T" + s.Thread;
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"{s.Step,5} {who}: {s.Op} {s.Location}");
            if (s.Before is not null || s.After is not null)
            {
                line.Append(' ').Append(s.Before).Append("->").Append(s.After);
            }
            if (!string.IsNullOrEmpty(s.Note))
            {
                line.Append(" (").Append(s.Note).Append(')');
            }
            if (!string.IsNullOrEmpty(s.State))
            {
                line.Append("   | ").Append(s.State);
            }
            if (i == f.FailingStep)
            {
                line.Append("   <-- fails here");
            }
            yield return line.ToString();
        }
    }

    private static string Seconds(long ms) => (ms / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static string OneLine(string s)
    {
        var line = s.ReplaceLineEndings(" ");
        return line.Length <= 1000 ? line : line[..1000] + "…";
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control characters, lone surrogates).</summary>
    internal static string Clean(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "";
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            if (char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(ch).Append(s[++i]);
            }
            else if (XmlConvert.IsXmlChar(ch))
            {
                sb.Append(ch);
            }
            else
            {
                sb.Append('\uFFFD');
            }
        }
        return sb.ToString();
    }
}
