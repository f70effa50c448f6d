using System.Globalization;
using System.Text;
using RwHarness.Results;

namespace RwHarness.Reports;

/// <summary>
/// Renders index.html: one self-contained page (inline CSS, inline SVG, a few lines of script for copy
/// buttons and folding; no external assets) that a person scans in seconds. Sections: header, the
/// lock x scenario matrix, failures as swimlanes, witnesses, stress histograms, mutants.
/// </summary>
public static class HtmlReport
{
    /// <summary>Steps shown on each side of the failing step before the rest of a trace folds away.</summary>
    public const int FoldWindow = 40;

    /// <summary>Traces up to this many steps are shown whole.</summary>
    public const int FoldThreshold = 120;

    /// <summary>Plain-text interleavings up to this many lines are included next to the swimlanes.</summary>
    private const int PlainTraceLimit = 400;

    public static string Render(RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder(64 * 1024);
        var failing = results.Results.Where(r => r.Verdict == Verdicts.Fail).ToList();
        var witnesses = results.Results.Where(r => r.Witness is not null).ToList();
        var caught = results.Mutants.Count(m => m.Caught);
        var stressFails = results.Stress.Count(s => s.Verdict == Verdicts.Fail);
        var bad = failing.Count + stressFails + (results.Mutants.Count - caught);

        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>RwHarness report — ")
          .Append(bad == 0 ? "all held" : bad + (bad == 1 ? " problem" : " problems"))
          .Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n");

        Header(sb, results, failing.Count, witnesses.Count, caught, stressFails);
        Matrix(sb, results, failing);
        Failures(sb, failing);
        Witnesses(sb, witnesses);
        Stress(sb, results.Stress);
        Mutants(sb, results.Mutants, caught);

        sb.Append("<footer>rwharness · results schema ").Append(Html.E(results.SchemaVersion))
          .Append(" · generated ").Append(Html.E(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
          .Append("</footer>\n<script>").Append(Html.Script).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    // ---------------------------------------------------------------- header

    private static void Header(StringBuilder sb, RunResults r, int failures, int witnesses, int caught, int stressFails)
    {
        var run = r.Run;
        var m = run.Machine ?? new MachineInfo();
        var passes = r.Results.Count - failures;
        sb.Append("<header class=\"top\">\n<h1>RwHarness report</h1>\n<div class=\"badges\">")
          .Append(Badge(failures == 0 ? "ok" : "bad", $"{passes} of {r.Results.Count} cases held"));
        if (failures > 0)
        {
            sb.Append(Badge("bad", failures + (failures == 1 ? " failure" : " failures")));
        }
        if (witnesses > 0)
        {
            sb.Append(Badge("exp", witnesses + (witnesses == 1 ? " expected outcome shown" : " expected outcomes shown")));
        }
        if (r.Stress.Count > 0)
        {
            sb.Append(Badge(stressFails == 0 ? "ok" : "bad", $"stress {r.Stress.Count - stressFails} of {r.Stress.Count} held"));
        }
        if (r.Mutants.Count > 0)
        {
            sb.Append(Badge(caught == r.Mutants.Count ? "ok" : "bad", $"caught {caught} of {r.Mutants.Count} mutants"));
        }
        sb.Append("</div>\n<dl class=\"meta\">")
          .Append("<dt>command</dt><dd><code id=\"cmdline\">").Append(Html.E(string.IsNullOrEmpty(run.CommandLine) ? "(not recorded)" : run.CommandLine)).Append("</code></dd>")
          .Append("<dt>machine</dt><dd id=\"machine\">").Append(m.Cores).Append(m.Cores == 1 ? " core" : " cores")
          .Append(" · ").Append(Html.E(m.Os)).Append(" · ").Append(Html.E(m.Dotnet)).Append("</dd>")
          .Append("<dt>date</dt><dd id=\"date\">").Append(Html.E(run.StartedUtc.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))).Append("</dd>")
          .Append("<dt>total time</dt><dd id=\"elapsed\">").Append(Html.Ms(run.ElapsedMs)).Append("</dd>")
          .Append("</dl>\n<nav><a href=\"#matrix\">matrix</a><a href=\"#failures\">failures (").Append(failures)
          .Append(")</a><a href=\"#witnesses\">expected outcomes (").Append(witnesses)
          .Append(")</a><a href=\"#stress\">stress (").Append(r.Stress.Count)
          .Append(")</a><a href=\"#mutants\">mutants (").Append(caught).Append('/').Append(r.Mutants.Count).Append(")</a></nav>\n</header>\n");
    }

    private static string Badge(string cls, string text) => $"<span class=\"badge {cls}\">{Html.E(text)}</span>";

    // ---------------------------------------------------------------- matrix

    /// <summary>The verdict class of one matrix cell: any fail wins; a pass that showed an expected outcome is "expected".</summary>
    internal static string CellClass(IReadOnlyCollection<CaseResult> cases)
    {
        if (cases.Count == 0)
        {
            return "v-none";
        }
        if (cases.Any(c => c.Verdict == Verdicts.Fail))
        {
            return "v-fail";
        }
        return cases.Any(c => c.Witness is not null || (c.Expected ?? "holds") != "holds") ? "v-expected" : "v-pass";
    }

    private static void Matrix(StringBuilder sb, RunResults r, List<CaseResult> failing)
    {
        sb.Append("<section id=\"matrix\">\n<h2>Lock × scenario</h2>\n");
        if (r.Results.Count == 0)
        {
            sb.Append("<p class=\"empty\">No systematic results in this run.</p>\n</section>\n");
            return;
        }
        sb.Append("<p class=\"legend\"><span class=\"sw v-pass\"></span>held <span class=\"sw v-expected\"></span>expected outcome shown ")
          .Append("<span class=\"sw v-fail\"></span>failed <span class=\"sw v-none\"></span>not run · each line: engine · strategy · coverage, ")
          .Append("then executions · distinct interleavings · steps · time</p>\n");

        var locks = r.Results.Select(c => c.Lock).Distinct().ToList();
        var scenarios = r.Results.Select(c => c.Scenario).Distinct().ToList();
        var byCell = r.Results.ToLookup(c => (c.Lock, c.Scenario));
        var failAnchor = new Dictionary<CaseResult, string>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < failing.Count; i++)
        {
            failAnchor[failing[i]] = "f" + (i + 1);
        }

        if (failing.Count > 0 && locks.Count > 1)
        {
            sb.Append("<p class=\"tools\"><button type=\"button\" data-only-failing=\"1\">show only locks with failures</button></p>\n");
        }
        sb.Append("<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th class=\"corner\">lock \\ scenario</th>");
        foreach (var s in scenarios)
        {
            sb.Append("<th class=\"scn\" scope=\"col\">").Append(Html.E(s)).Append("</th>");
        }
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var l in locks)
        {
            var rowFails = scenarios.Any(s => byCell[(l, s)].Any(c => c.Verdict == Verdicts.Fail));
            sb.Append(rowFails ? "<tr class=\"has-fail\">" : "<tr>").Append("<th class=\"lock\" scope=\"row\">").Append(Html.E(l)).Append("</th>");
            foreach (var s in scenarios)
            {
                var cases = byCell[(l, s)].OrderBy(c => c.Engine, StringComparer.Ordinal).ThenBy(c => c.Strategy, StringComparer.Ordinal).ToList();
                var cls = CellClass(cases);
                sb.Append("<td class=\"cell ").Append(cls).Append("\" data-lock=\"").Append(Html.E(l))
                  .Append("\" data-scenario=\"").Append(Html.E(s)).Append("\">");
                if (cases.Count == 0)
                {
                    sb.Append("—");
                }
                foreach (var c in cases)
                {
                    var caseCls = CellClass([c]);
                    var anchor = failAnchor.GetValueOrDefault(c);
                    sb.Append(anchor is null ? "<div class=\"case " : "<a class=\"case ").Append(caseCls).Append('"');
                    if (anchor is not null)
                    {
                        sb.Append(" href=\"#").Append(anchor).Append('"');
                    }
                    var title = c.Failure is not null ? c.Failure.Kind + ": " + c.Failure.Message : c.Note;
                    if (!string.IsNullOrEmpty(title))
                    {
                        sb.Append(" title=\"").Append(Html.E(Clip(title, 300))).Append('"');
                    }
                    sb.Append("><span class=\"eng\">").Append(Html.E(c.Engine)).Append("</span> <span class=\"strat\">").Append(Html.E(c.Strategy));
                    if (c.PreemptionBound is int pb)
                    {
                        sb.Append(" pb=").Append(pb);
                    }
                    sb.Append("</span> <span class=\"cov ").Append(c.Coverage == Coverages.Complete ? "complete" : "sampled").Append("\">")
                      .Append(Html.E(c.Coverage)).Append("</span>");
                    if (c.Verdict == Verdicts.Fail && c.Failure is not null)
                    {
                        sb.Append(" <span class=\"kind\">").Append(Html.E(c.Failure.Kind)).Append("</span>");
                    }
                    else if (c.Witness is not null)
                    {
                        sb.Append(" <span class=\"kind\">").Append(Html.E(c.Expected)).Append("</span>");
                    }
                    sb.Append("<br><span class=\"nums\">").Append(Html.Si(c.Iterations)).Append(" it · ")
                      .Append(Html.Si(c.DistinctInterleavings)).Append(" distinct · ").Append(Html.Si(c.Steps)).Append(" steps · ")
                      .Append(Html.Ms(c.ElapsedMs)).Append("</span>").Append(anchor is null ? "</div>" : "</a>");
                }
                sb.Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table></div>\n</section>\n");
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    // ---------------------------------------------------------------- failures and witnesses

    private static void Failures(StringBuilder sb, List<CaseResult> failing)
    {
        sb.Append("<section id=\"failures\">\n<h2>Failures</h2>\n");
        if (failing.Count == 0)
        {
            sb.Append("<p class=\"empty\">No failures: every case held.</p>\n");
        }
        else
        {
            sb.Append("<p class=\"tools\"><button type=\"button\" data-fold=\"open\" data-scope=\"failures\">expand all</button>")
              .Append("<button type=\"button\" data-fold=\"close\" data-scope=\"failures\">collapse all</button></p>\n");
        }
        for (var i = 0; i < failing.Count; i++)
        {
            var c = failing[i];
            var f = c.Failure ?? new FailureInfo { Kind = "unknown", Message = c.Note ?? "the case failed without failure details" };
            Evidence(sb, "failure", "f" + (i + 1), c.Lock, c.Scenario, $"{c.Engine} · {c.Strategy} · expected {c.Expected}", f, witness: false);
        }
        sb.Append("</section>\n");
    }

    private static void Witnesses(StringBuilder sb, List<CaseResult> witnesses)
    {
        sb.Append("<section id=\"witnesses\">\n<h2>Expected outcomes</h2>\n");
        if (witnesses.Count == 0)
        {
            sb.Append("<p class=\"empty\">No scenario in this run expected a deadlock, an exception or a reachable state.</p>\n");
        }
        else
        {
            sb.Append("<p class=\"legend\">Schedules that show what a scenario expects of a lock (for example the deadlock of a read lock taken under the write lock). These cases passed.</p>\n");
        }
        for (var i = 0; i < witnesses.Count; i++)
        {
            var c = witnesses[i];
            Evidence(sb, "witness", "w" + (i + 1), c.Lock, c.Scenario, $"{c.Engine} · {c.Strategy} · expected {c.Expected}", c.Witness!, witness: true);
        }
        sb.Append("</section>\n");
    }

    /// <summary>One failure or witness: title, message, replay token, program, swimlanes.</summary>
    private static void Evidence(StringBuilder sb, string cls, string id, string lockName, string scenario, string sub, FailureInfo f, bool witness)
    {
        sb.Append("<article class=\"").Append(cls).Append("\" id=\"").Append(id).Append("\" data-lock=\"").Append(Html.E(lockName))
          .Append("\" data-scenario=\"").Append(Html.E(scenario)).Append("\" data-kind=\"").Append(Html.E(f.Kind)).Append("\">\n<h3>")
          .Append("<span class=\"kind-badge\">").Append(witness ? "expected " : "").Append(Html.E(f.Kind)).Append("</span> ")
          .Append("<span class=\"lockname\">").Append(Html.E(lockName)).Append("</span> × <span class=\"scnname\">").Append(Html.E(scenario))
          .Append("</span> <small>").Append(Html.E(sub)).Append(" · iteration ").Append(f.Iteration.ToString(CultureInfo.InvariantCulture))
          .Append("</small></h3>\n");
        sb.Append("<pre class=\"message\">").Append(Html.E(f.Message)).Append("</pre>\n");
        ReplayLine(sb, f.Replay);
        if (!string.IsNullOrEmpty(f.Program))
        {
            sb.Append("<details class=\"program\" open><summary>minimal program (FsCheck, shrunk)</summary><pre class=\"program\">")
              .Append(Html.E(f.Program)).Append("</pre></details>\n");
        }
        Swimlanes(sb, f, witness ? "◀ expected outcome here" : "◀ fails here");
        sb.Append("</article>\n");
    }

    private static void ReplayLine(StringBuilder sb, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            sb.Append("<p class=\"replay none\">no replay token recorded</p>\n");
            return;
        }
        sb.Append("<p class=\"replay\"><span class=\"muted\">rwharness replay</span> <code class=\"token\">").Append(Html.E(token))
          .Append("</code> <button type=\"button\" class=\"copy\" data-copy=\"").Append(Html.E(token)).Append("\" title=\"copy the replay token\">copy</button></p>\n");
    }

    /// <summary>
    /// The interleaving as swimlanes: one column per virtual thread, one row per step, the lock state after
    /// each step on the right. Long traces show <see cref="FoldWindow"/> steps around the failing step; the
    /// rest is in collapsed &lt;details&gt; blocks (same column layout, so they line up when opened).
    /// </summary>
    private static void Swimlanes(StringBuilder sb, FailureInfo f, string marker = "◀ fails here")
    {
        var steps = f.Steps ?? [];
        if (steps.Count == 0)
        {
            PlainTrace(sb, f.Trace ?? [], f.FailingStep, open: true);
            return;
        }
        var threadCount = Math.Max(f.Threads?.Count ?? 0, steps.Max(s => s.Thread) + 1);
        var names = Enumerable.Range(0, threadCount)
            .Select(t => f.Threads is { } th && t < th.Count && !string.IsNullOrEmpty(th[t]) ? th[t] : "T" + t).ToList();
        var failing = f.FailingStep >= 0 && f.FailingStep < steps.Count ? f.FailingStep : -1;
        var center = failing >= 0 ? failing : steps.Count - 1;
        int from = 0, to = steps.Count - 1;
        if (steps.Count > FoldThreshold)
        {
            from = Math.Max(0, center - FoldWindow);
            to = Math.Min(steps.Count - 1, center + FoldWindow);
        }

        var colgroup = new StringBuilder("<colgroup><col class=\"c-n\">");
        for (var t = 0; t < threadCount; t++)
        {
            colgroup.Append("<col class=\"c-t\">");
        }
        colgroup.Append("<col class=\"c-s\"></colgroup>");
        var cols = colgroup.ToString();

        sb.Append("<div class=\"lanes\" data-threads=\"").Append(threadCount).Append("\" data-steps=\"").Append(steps.Count).Append("\">\n");
        sb.Append("<table class=\"lanes head\">").Append(cols).Append("<thead><tr><th class=\"n\">#</th>");
        for (var t = 0; t < threadCount; t++)
        {
            sb.Append("<th class=\"thread c").Append(t % 8).Append("\" scope=\"col\">").Append(Html.E(names[t])).Append("</th>");
        }
        sb.Append("<th class=\"state\">lock state after the step</th></tr></thead></table>\n");

        string? prevState = null;
        if (from > 0)
        {
            sb.Append("<details class=\"fold\"><summary>steps 0–").Append(from - 1).Append(" (").Append(Html.N(from)).Append(" steps folded)</summary>\n<table class=\"lanes\">").Append(cols).Append("<tbody>\n");
            for (var i = 0; i < from; i++)
            {
                Row(sb, steps[i], i, threadCount, failing, marker, ref prevState);
            }
            sb.Append("</tbody></table></details>\n");
        }
        sb.Append("<table class=\"lanes main\">").Append(cols).Append("<tbody>\n");
        for (var i = from; i <= to; i++)
        {
            Row(sb, steps[i], i, threadCount, failing, marker, ref prevState);
        }
        sb.Append("</tbody></table>\n");
        if (to < steps.Count - 1)
        {
            sb.Append("<details class=\"fold\"><summary>steps ").Append(to + 1).Append('–').Append(steps.Count - 1).Append(" (")
              .Append(Html.N(steps.Count - 1 - to)).Append(" steps folded)</summary>\n<table class=\"lanes\">").Append(cols).Append("<tbody>\n");
            for (var i = to + 1; i < steps.Count; i++)
            {
                Row(sb, steps[i], i, threadCount, failing, marker, ref prevState);
            }
            sb.Append("</tbody></table></details>\n");
        }
        if (failing < 0)
        {
            sb.Append("<div class=\"end\">").Append(f.Kind == FailureKinds.Deadlock
                ? "execution ends here: every live thread is blocked (see the message above for what each waits on)"
                : "execution ends here").Append("</div>\n");
        }
        sb.Append("</div>\n");
        if (f.Trace is { Count: > 0 } trace && trace.Count <= PlainTraceLimit)
        {
            PlainTrace(sb, trace, failing, open: false);
        }
    }

    private static void Row(StringBuilder sb, TraceStep s, int index, int threadCount, int failing, string marker, ref string? prevState)
    {
        sb.Append(index == failing ? "<tr class=\"step failing\" data-step=\"" : "<tr class=\"step\" data-step=\"").Append(index).Append("\"><td class=\"n\">").Append(s.Step).Append("</td>");
        for (var t = 0; t < threadCount; t++)
        {
            if (t != s.Thread)
            {
                sb.Append("<td></td>");
                continue;
            }
            sb.Append("<td class=\"op c").Append(t % 8).Append("\"><b>").Append(Html.E(s.Op)).Append("</b>");
            if (!string.IsNullOrEmpty(s.Location))
            {
                sb.Append(' ').Append(Html.E(s.Location));
            }
            if (s.Before is not null && s.After is not null && s.Before != s.After)
            {
                sb.Append(" <span class=\"v\">").Append(Html.E(s.Before)).Append("→").Append(Html.E(s.After)).Append("</span>");
            }
            else if (s.After is not null)
            {
                sb.Append(" <span class=\"v\">=").Append(Html.E(s.After)).Append("</span>");
            }
            else if (s.Before is not null)
            {
                sb.Append(" <span class=\"v\">").Append(Html.E(s.Before)).Append("</span>");
            }
            if (!string.IsNullOrEmpty(s.Note))
            {
                sb.Append(" <em>").Append(Html.E(s.Note)).Append("</em>");
            }
            if (index == failing)
            {
                sb.Append(" <strong class=\"here\">").Append(marker).Append("</strong>");
            }
            sb.Append("</td>");
        }
        var same = s.State is not null && s.State == prevState;
        sb.Append(same ? "<td class=\"state same\">" : "<td class=\"state\">").Append(Html.E(s.State)).Append("</td></tr>\n");
        prevState = s.State ?? prevState;
    }

    private static void PlainTrace(StringBuilder sb, List<string> trace, int failing, bool open)
    {
        if (trace.Count == 0)
        {
            sb.Append("<p class=\"empty\">No interleaving was recorded for this case.</p>\n");
            return;
        }
        sb.Append(open ? "<details class=\"plain\" open>" : "<details class=\"plain\">")
          .Append("<summary>plain-text interleaving (").Append(Html.N(trace.Count)).Append(" lines)</summary><pre class=\"trace\">");
        var center = failing >= 0 && failing < trace.Count ? failing : trace.Count - 1;
        var fold = open && trace.Count > FoldThreshold;
        var from = fold ? Math.Max(0, center - FoldWindow) : 0;
        var to = fold ? Math.Min(trace.Count - 1, center + FoldWindow) : trace.Count - 1;
        if (from > 0)
        {
            sb.Append("<details class=\"fold\"><summary>lines 0–").Append(from - 1).Append(" folded</summary>");
            for (var i = 0; i < from; i++)
            {
                sb.Append(Html.E(trace[i])).Append('\n');
            }
            sb.Append("</details>");
        }
        for (var i = from; i <= to; i++)
        {
            sb.Append(i == failing ? "<mark class=\"failing\">" + Html.E(trace[i]) + "</mark>" : Html.E(trace[i])).Append('\n');
        }
        if (to < trace.Count - 1)
        {
            sb.Append("<details class=\"fold\"><summary>lines ").Append(to + 1).Append('–').Append(trace.Count - 1).Append(" folded</summary>");
            for (var i = to + 1; i < trace.Count; i++)
            {
                sb.Append(Html.E(trace[i])).Append('\n');
            }
            sb.Append("</details>");
        }
        sb.Append("</pre></details>\n");
    }

    // ---------------------------------------------------------------- stress

    private static void Stress(StringBuilder sb, List<StressResult> stress)
    {
        sb.Append("<section id=\"stress\">\n<h2>Stress (real threads)</h2>\n");
        if (stress.Count == 0)
        {
            sb.Append("<p class=\"empty\">No stress results in this run.</p>\n</section>\n");
            return;
        }
        sb.Append("<p class=\"legend\">Outcome histograms graded like jcstress: <span class=\"g g-acceptable\">acceptable</span> ")
          .Append("<span class=\"g g-interesting\">interesting</span> (allowed, worth a look) <span class=\"g g-forbidden\">forbidden</span> (a bug when seen). Bars use a log scale.</p>\n<div class=\"cards\">\n");
        foreach (var s in stress)
        {
            var total = Math.Max(1, s.Outcomes.Sum(o => o.Count));
            var max = Math.Max(1, s.Outcomes.Count == 0 ? 1 : s.Outcomes.Max(o => o.Count));
            sb.Append("<article class=\"stress ").Append(s.Verdict == Verdicts.Fail ? "v-fail" : "v-pass").Append("\" data-lock=\"").Append(Html.E(s.Lock))
              .Append("\" data-scenario=\"").Append(Html.E(s.Scenario)).Append("\">\n<h3><span class=\"lockname\">").Append(Html.E(s.Lock))
              .Append("</span> × <span class=\"scnname\">").Append(Html.E(s.Scenario)).Append("</span> <span class=\"verdict\">").Append(Html.E(s.Verdict)).Append("</span></h3>\n")
              .Append("<p class=\"muted\">").Append(s.Threads).Append(" threads · ").Append(Html.Ms(s.DurationMs)).Append(" · ")
              .Append(Html.N(s.Rounds)).Append(" rounds · max readers together ").Append(s.MaxReadersTogether)
              .Append(" · overlaps ").Append(Html.N(s.Overlaps)).Append("</p>\n");
            if (!string.IsNullOrEmpty(s.Message))
            {
                sb.Append("<pre class=\"message\">").Append(Html.E(s.Message)).Append("</pre>\n");
            }
            sb.Append("<table class=\"hist\"><thead><tr><th>outcome</th><th class=\"num\">count</th><th class=\"num\">share</th><th>grade</th><th></th></tr></thead><tbody>\n");
            foreach (var o in s.Outcomes)
            {
                var w = o.Count <= 0 ? 0 : Math.Max(2, 160 * Math.Log10(1 + o.Count) / Math.Log10(1 + max));
                var grade = o.Grade is Grades.Acceptable or Grades.Interesting or Grades.Forbidden ? o.Grade : Grades.Interesting;
                sb.Append("<tr class=\"g-").Append(grade).Append(o.Count > 0 ? " seen" : " unseen").Append("\"><td class=\"outcome\">").Append(Html.E(o.Outcome))
                  .Append("</td><td class=\"num\">").Append(Html.N(o.Count)).Append("</td><td class=\"num\">")
                  .Append(Share(o.Count, total)).Append("</td><td><span class=\"g g-").Append(grade).Append("\">").Append(Html.E(o.Grade))
                  .Append("</span></td><td><svg class=\"bar\" width=\"164\" height=\"12\" viewBox=\"0 0 164 12\" role=\"img\"><rect x=\"0\" y=\"1\" width=\"")
                  .Append(Html.F(w, 1)).Append("\" height=\"10\" rx=\"2\"/></svg></td></tr>\n");
            }
            sb.Append("</tbody></table>\n</article>\n");
        }
        sb.Append("</div>\n</section>\n");
    }

    private static string Share(long count, long total)
    {
        var pct = 100.0 * count / total;
        return count > 0 && pct < 0.01 ? "&lt;0.01%" : Html.F(pct, 2) + "%";
    }

    // ---------------------------------------------------------------- mutants

    private static void Mutants(StringBuilder sb, List<MutantResult> mutants, int caught)
    {
        sb.Append("<section id=\"mutants\">\n<h2>Mutants</h2>\n");
        if (mutants.Count == 0)
        {
            sb.Append("<p class=\"empty\">No mutation results in this run.</p>\n</section>\n");
            return;
        }
        sb.Append("<p class=\"score ").Append(caught == mutants.Count ? "ok" : "bad").Append("\">caught ").Append(caught).Append(" of ").Append(mutants.Count)
          .Append(" mutants</p>\n<table class=\"mutants\"><thead><tr><th>mutant</th><th>what it breaks</th><th>engine</th><th>caught</th><th>by scenario</th><th>strategy</th><th class=\"num\">schedules needed</th></tr></thead><tbody>\n");
        foreach (var m in mutants)
        {
            sb.Append("<tr class=\"").Append(m.Caught ? "caught" : "missed").Append("\"><td class=\"mutant\">").Append(Html.E(m.Mutant)).Append("</td><td>")
              .Append(Html.E(m.Description)).Append("</td><td>").Append(Html.E(m.Engine)).Append("</td><td class=\"verdict\">").Append(m.Caught ? "caught" : "MISSED")
              .Append("</td><td>").Append(Html.E(m.Scenario ?? "—")).Append("</td><td>").Append(Html.E(m.Strategy ?? "—")).Append("</td><td class=\"num\">")
              .Append(m.Caught ? Html.N(m.Schedules) : "—").Append("</td></tr>\n");
            if (m.Failure is not null)
            {
                sb.Append("<tr class=\"detail\"><td colspan=\"7\"><details><summary>the interleaving that caught it: ").Append(Html.E(m.Failure.Kind))
                  .Append("</summary>\n<pre class=\"message\">").Append(Html.E(m.Failure.Message)).Append("</pre>\n");
                ReplayLine(sb, m.Failure.Replay);
                Swimlanes(sb, m.Failure);
                sb.Append("</details></td></tr>\n");
            }
        }
        sb.Append("</tbody></table>\n</section>\n");
    }

    // ---------------------------------------------------------------- style

    private const string Css = """
        :root{--pass:#e3f4e6;--pass-b:#4c9a5b;--fail:#fde4e4;--fail-b:#c62828;--exp:#e5eefc;--exp-b:#3d6fd1;--none:#f3f3f3;--muted:#666;--line:#d9dde3}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2329;background:#fafbfc}
        header.top{background:#1f2a37;color:#f2f5f8;padding:16px 24px 10px}
        header.top h1{margin:0 0 8px;font-size:22px}
        header.top code{color:#fff;background:#33414f;padding:1px 6px;border-radius:4px}
        .badges{margin-bottom:8px}.badge{display:inline-block;padding:2px 10px;margin:0 6px 4px 0;border-radius:12px;font-weight:600;font-size:13px}
        .badge.ok{background:#2e7d32;color:#fff}.badge.bad{background:#c62828;color:#fff}.badge.exp{background:#3d6fd1;color:#fff}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dl.meta dt{color:#aab6c3}dl.meta dd{margin:0}
        nav a{color:#cfe0ff;margin-right:16px;text-decoration:none;font-weight:600}nav{padding:6px 0 0}
        section{padding:8px 24px 16px}h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
        .muted,small{color:var(--muted)}.empty{color:var(--muted);font-style:italic}.legend{color:#444;font-size:13px}
        .sw{display:inline-block;width:12px;height:12px;border:1px solid #999;vertical-align:-1px;margin:0 4px 0 10px}
        .scroll{overflow:auto;max-height:80vh;border:1px solid var(--line);background:#fff}
        table.matrix{border-collapse:separate;border-spacing:0;font-size:12px}
        table.matrix th,table.matrix td{border-right:1px solid var(--line);border-bottom:1px solid var(--line);padding:4px 6px;vertical-align:top}
        table.matrix thead th{position:sticky;top:0;background:#eef1f5;z-index:2;text-align:left;white-space:nowrap}
        table.matrix th.lock{position:sticky;left:0;background:#eef1f5;z-index:1;text-align:left;white-space:nowrap}
        table.matrix th.corner{left:0;z-index:3;color:var(--muted);font-weight:400}
        td.cell{min-width:150px}.v-pass{background:var(--pass)}.v-fail{background:var(--fail)}.v-expected{background:var(--exp)}.v-none{background:var(--none);color:#aaa;text-align:center}
        td.cell .case{display:block;padding:2px 4px;margin:1px 0;border-left:3px solid transparent;color:inherit;text-decoration:none;white-space:nowrap}
        td.cell .case.v-pass{border-left-color:var(--pass-b)}td.cell .case.v-fail{border-left-color:var(--fail-b)}td.cell .case.v-expected{border-left-color:var(--exp-b)}
        a.case:hover{background:#fff6}.eng{font-weight:600}.strat{color:#333}.cov{font-size:11px;padding:0 4px;border-radius:3px;background:#fff8;color:#555}.cov.complete{background:#2e7d32;color:#fff}
        .case .kind{font-weight:700;color:var(--fail-b)}.case.v-expected .kind{color:var(--exp-b)}.nums{color:#555}
        article.failure,article.witness{background:#fff;border:1px solid var(--line);border-left:5px solid var(--fail-b);border-radius:4px;padding:8px 14px;margin:12px 0}
        article.witness{border-left-color:var(--exp-b)}
        article h3{margin:2px 0 6px;font-size:15px}.kind-badge{display:inline-block;background:var(--fail-b);color:#fff;border-radius:3px;padding:0 8px;font-size:13px}
        article.witness .kind-badge{background:var(--exp-b)}.lockname,.scnname{font-family:ui-monospace,SFMono-Regular,Consolas,monospace}
        pre{white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,SFMono-Regular,Consolas,"Liberation Mono",monospace;margin:6px 0}
        pre.message{background:#fff4f4;border:1px solid #f3caca;padding:6px 8px;border-radius:3px}article.witness pre.message{background:#f2f6fe;border-color:#c9d8f5}
        pre.program{background:#f6f8fa;border:1px solid var(--line);padding:6px 8px}
        .replay code.token{font:12px ui-monospace,Consolas,monospace;background:#f0f2f5;padding:2px 6px;border-radius:3px;word-break:break-all}
        button{font:12px system-ui,sans-serif;border:1px solid #9aa5b1;background:#fff;border-radius:4px;padding:1px 8px;cursor:pointer;margin-right:4px}button:hover{background:#eef}
        div.lanes{overflow-x:auto;margin:8px 0}
        table.lanes{border-collapse:collapse;table-layout:fixed;width:100%;min-width:720px;font:12px/1.35 ui-monospace,SFMono-Regular,Consolas,monospace}
        table.lanes col.c-n{width:56px}table.lanes col.c-s{width:30%}
        table.lanes td,table.lanes th{padding:2px 6px;border-left:1px solid var(--line);overflow-wrap:anywhere;vertical-align:top}
        table.lanes th{background:#eef1f5;text-align:left;font-family:system-ui,sans-serif}table.lanes.head{margin-bottom:0}
        table.lanes td.n{color:#888;text-align:right}table.lanes tr.step:nth-child(even){background:#fafbfc}
        table.lanes td.state{color:#234;background:#f6f8fa}table.lanes td.state.same{color:#aab}
        table.lanes tr.step.failing td{background:#ffd9d9 !important;border-top:2px solid var(--fail-b);border-bottom:2px solid var(--fail-b)}article.witness table.lanes tr.step.failing td{background:#dbe6fd !important;border-top-color:var(--exp-b);border-bottom-color:var(--exp-b)}
        .here{color:var(--fail-b);font-family:system-ui,sans-serif}article.witness .here{color:var(--exp-b)}
        td.op em{color:#8a4b00}td.op .v{color:#555}
        .c0{border-left:3px solid #1f77b4 !important}.c1{border-left:3px solid #d62728 !important}.c2{border-left:3px solid #2ca02c !important}.c3{border-left:3px solid #9467bd !important}
        .c4{border-left:3px solid #ff7f0e !important}.c5{border-left:3px solid #17becf !important}.c6{border-left:3px solid #8c564b !important}.c7{border-left:3px solid #e377c2 !important}
        td.op.c0{background:#eaf2fa}td.op.c1{background:#fbeaea}td.op.c2{background:#eaf6ea}td.op.c3{background:#f2edf8}td.op.c4{background:#fff2e5}td.op.c5{background:#e8f8fa}td.op.c6{background:#f4eeec}td.op.c7{background:#fcf0f8}
        details.fold{margin:0}details.fold>summary,details>summary{cursor:pointer;color:#3d5a80;font:12px system-ui,sans-serif;padding:3px 6px;background:#f0f3f7}
        .end{font:12px system-ui,sans-serif;color:var(--fail-b);padding:4px 6px;border-top:2px solid var(--fail-b)}
        mark.failing{background:#ffd9d9}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:12px}
        article.stress{background:#fff;border:1px solid var(--line);border-top:4px solid var(--pass-b);border-radius:4px;padding:6px 12px}article.stress.v-fail{border-top-color:var(--fail-b)}
        article.stress .verdict{font-size:12px;text-transform:uppercase;color:var(--muted)}
        table.hist{border-collapse:collapse;width:100%;font-size:12px}table.hist td,table.hist th{padding:2px 6px;border-bottom:1px solid #eee;text-align:left}
        td.outcome{font-family:ui-monospace,Consolas,monospace}.num{text-align:right !important}
        .g{padding:0 6px;border-radius:3px;font-size:11px}.g-acceptable .bar rect,.g.g-acceptable{fill:#4c9a5b;background:#e3f4e6}.g-interesting .bar rect,.g.g-interesting{fill:#e0a100;background:#fff4d6}
        .g-forbidden .bar rect,.g.g-forbidden{fill:#c62828;background:#fde4e4}tr.g-forbidden.seen{background:#ffd9d9;font-weight:700}tr.unseen{color:#999}
        p.score{font-size:16px;font-weight:700}p.score.ok{color:#2e7d32}p.score.bad{color:var(--fail-b)}
        table.mutants{border-collapse:collapse;background:#fff;font-size:13px}table.mutants td,table.mutants th{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        tr.caught td.verdict{color:#2e7d32;font-weight:700}tr.missed{background:var(--fail)}tr.missed td.verdict{color:var(--fail-b);font-weight:700}
        footer{color:var(--muted);font-size:12px;padding:12px 24px 24px}
        table.matrix.only-failing tbody tr:not(.has-fail){display:none}
        """;
}
