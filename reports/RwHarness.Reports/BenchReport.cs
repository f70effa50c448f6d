using System.Globalization;
using System.Text;
using RwHarness.Results;

namespace RwHarness.Reports;

/// <summary>
/// Renders bench.html: a self-contained page (inline CSS and hand-drawn SVG, no scripts, fonts or external
/// assets) with throughput charts (vs threads, vs read ratio, one polyline per lock, CI whiskers), bar charts
/// for single-point workloads, the table of each lock's throughput ratio against the baseline lock
/// (ReaderWriterLockSlim) measured in the same run, and the raw numbers.
/// </summary>
public static class BenchReport
{
    private static readonly string[] Palette =
    [
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f",
        "#393b79", "#ad494a", "#637939", "#843c39", "#5254a3", "#6b6ecf",
    ];

    public static string Render(BenchResults bench, string baselineLock = BenchResults.DefaultBaseline)
    {
        ArgumentNullException.ThrowIfNull(bench);
        // The engines' own speed (workloads engine-*) is not a lock measurement: it gets its own table and
        // stays out of the lock ratios, the lock charts and the zero-allocation requirement.
        var all = bench.Records ?? [];
        var engines = all.Where(IsEngine).ToList();
        var records = all.Where(r => !IsEngine(r)).ToList();
        var baseName = bench.ResolveBaseline(baselineLock);
        // Locks measured everywhere first (the shipped locks and baselines), floors measured at a few points last.
        var locks = records.GroupBy(r => r.Lock, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        if (baseName is not null)
        {
            locks.Remove(baseName);
            locks.Insert(0, baseName);
        }
        var colours = new Dictionary<string, string>(StringComparer.Ordinal);
        var ci = 0;
        foreach (var l in locks)
        {
            colours[l] = l == baseName ? "#111111" : Palette[ci++ % Palette.Length];
        }

        var sb = new StringBuilder(32 * 1024);
        var m = bench.Run?.Machine ?? new MachineInfo();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>RwHarness benchmarks</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<header class=\"top\"><h1>RwHarness benchmarks</h1>\n<dl class=\"meta\">")
          .Append("<dt>command</dt><dd><code>").Append(Html.E(string.IsNullOrEmpty(bench.Run?.CommandLine) ? "(not recorded)" : bench.Run!.CommandLine)).Append("</code></dd>")
          .Append("<dt>machine</dt><dd>").Append(m.Cores).Append(m.Cores == 1 ? " core" : " cores").Append(" · ").Append(Html.E(m.Os)).Append(" · ").Append(Html.E(m.Dotnet)).Append("</dd>")
          .Append("<dt>date</dt><dd>").Append(Html.E((bench.Run?.StartedUtc ?? default).ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append("</dd>")
          .Append("<dt>total time</dt><dd>").Append(Html.Ms(bench.Run?.ElapsedMs ?? 0)).Append("</dd>")
          .Append(string.IsNullOrEmpty(bench.LoadAverage) ? "" : "<dt>load average</dt><dd>" + Html.E(bench.LoadAverage) + " (1, 5, 15 min)</dd>")
          .Append("<dt>baseline</dt><dd>").Append(Html.E(baseName ?? baselineLock + " (not in this run)")).Append("</dd>")
          .Append("<dt>intervals</dt><dd>").Append(Html.F(bench.ConfidenceLevel * 100, 1)).Append("% confidence intervals of the mean, as BenchmarkDotNet reports them</dd>")
          .Append("</dl></header>\n");

        if (records.Count == 0 && engines.Count == 0)
        {
            sb.Append("<section><p class=\"empty\">No benchmark records in this file.</p></section>\n</body>\n</html>\n");
            return sb.ToString();
        }

        locks = locks.Where(l => records.Any(r => r.Lock == l)).ToList();
        if (records.Count > 0)
        {
            Legend(sb, locks, colours, baseName);
            RatioTable(sb, records, locks, baseName, baselineLock);
        }
        EngineTable(sb, engines);
        if (records.Count > 0)
        {
            Charts(sb, records, locks, colours, baseName);
        }
        RawTable(sb, records, engines);
        sb.Append("<footer>rwharness · bench schema ").Append(Html.E(bench.SchemaVersion)).Append("</footer>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Legend(StringBuilder sb, List<string> locks, Dictionary<string, string> colours, string? baseName)
    {
        sb.Append("<section><p class=\"legend\">");
        foreach (var l in locks)
        {
            sb.Append("<span class=\"key\"><svg width=\"26\" height=\"10\" viewBox=\"0 0 26 10\"><line x1=\"1\" y1=\"5\" x2=\"25\" y2=\"5\" stroke=\"").Append(colours[l])
              .Append("\" stroke-width=\"").Append(l == baseName ? "2.5\" stroke-dasharray=\"5 3" : "2.5").Append("\"/></svg>").Append(Html.E(l))
              .Append(l == baseName ? " (baseline)" : "").Append("</span>");
        }
        sb.Append("</p></section>\n");
    }

    // ---------------------------------------------------------------- ratio table

    private static void RatioTable(StringBuilder sb, List<BenchRecord> records, List<string> locks, string? baseName, string requested)
    {
        sb.Append("<section id=\"ratios\"><h2>Throughput relative to ").Append(Html.E(baseName ?? requested)).Append(" (same run)</h2>\n");
        if (baseName is null)
        {
            sb.Append("<p class=\"empty\">No ").Append(Html.E(requested)).Append(" records in this run, so no ratios.</p></section>\n");
            return;
        }
        sb.Append("<p class=\"legend\">Each cell: the lock's ops/s divided by ").Append(Html.E(baseName))
          .Append("'s ops/s at the same workload, threads and read ratio. Above 1 is faster. The gate compares these ratios, not absolute times.</p>\n");
        var others = locks.Where(l => l != baseName).ToList();
        var index = records.GroupBy(r => (r.Lock, r.Key)).ToDictionary(g => g.Key, g => g.First());
        var keys = records.Select(r => r.Key).Distinct().OrderBy(k => k.Workload, StringComparer.Ordinal).ThenBy(k => k.Threads).ThenByDescending(k => k.ReadRatio).ToList();
        var logs = others.ToDictionary(l => l, _ => new List<double>());

        sb.Append("<div class=\"scroll\"><table class=\"ratios\"><thead><tr><th>workload</th><th class=\"num\">threads</th><th class=\"num\">reads</th><th class=\"num\">")
          .Append(Html.E(baseName)).Append(" ops/s</th>");
        foreach (var l in others)
        {
            sb.Append("<th class=\"num lock\">").Append(Html.E(l)).Append("</th>");
        }
        sb.Append("</tr></thead><tbody>\n");
        foreach (var k in keys)
        {
            index.TryGetValue((baseName, k), out var b);
            sb.Append("<tr><td>").Append(Html.E(k.Workload)).Append("</td><td class=\"num\">").Append(k.Threads).Append("</td><td class=\"num\">")
              .Append(Html.E(k.ReadRatio.ToString("0.##", CultureInfo.InvariantCulture))).Append("%</td><td class=\"num\">")
              .Append(b is null ? "—" : Html.Si(b.OpsPerSec)).Append("</td>");
            foreach (var l in others)
            {
                if (b is null || b.OpsPerSec <= 0 || !index.TryGetValue((l, k), out var r) || r.OpsPerSec <= 0)
                {
                    sb.Append("<td class=\"num na\">—</td>");
                    continue;
                }
                var ratio = r.OpsPerSec / b.OpsPerSec;
                logs[l].Add(Math.Log(ratio));
                sb.Append("<td class=\"num ").Append(RatioClass(ratio)).Append("\" title=\"").Append(Html.E(l)).Append(": ").Append(Html.Si(r.OpsPerSec)).Append(" ops/s\">")
                  .Append(Html.F(ratio, 2)).Append("×</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody><tfoot><tr><th colspan=\"4\">geometric mean</th>");
        foreach (var l in others)
        {
            if (logs[l].Count == 0)
            {
                sb.Append("<td class=\"num na\">—</td>");
                continue;
            }
            var g = Math.Exp(logs[l].Average());
            sb.Append("<td class=\"num ").Append(RatioClass(g)).Append("\">").Append(Html.F(g, 2)).Append("×</td>");
        }
        sb.Append("</tr></tfoot></table></div></section>\n");
    }

    /// <summary>Workloads named <c>engine-*</c> measure the exploration engines, not a lock.</summary>
    public static bool IsEngine(BenchRecord r) => r.Workload.StartsWith("engine-", StringComparison.Ordinal);

    // ---------------------------------------------------------------- engines

    private static void EngineTable(StringBuilder sb, List<BenchRecord> engines)
    {
        if (engines.Count == 0)
        {
            return;
        }
        var names = engines.Select(r => r.Lock).Distinct(StringComparer.Ordinal).ToList();
        BenchRecord? Get(string engine, string workload) => engines.FirstOrDefault(r => r.Lock == engine && r.Workload == workload);
        var fastest = names.Select(n => Get(n, "engine-iterations")?.OpsPerSec ?? 0).DefaultIfEmpty(0).Max();
        sb.Append("<section id=\"engines\"><h2>Exploration engines (same run, same program)</h2>\n<p class=\"legend\">")
          .Append("Each engine explores the same scenario with the random strategy and a fixed seed; one iteration is one complete execution, ")
          .Append("a step one scheduling point. In brackets: the confidence interval of the mean.</p>\n")
          .Append("<div class=\"scroll\"><table class=\"engines\"><thead><tr><th>engine</th><th class=\"num\">iterations/s</th><th class=\"num\">steps/s</th>")
          .Append("<th class=\"num\">steps/iteration</th><th class=\"num\">µs/iteration (CI)</th><th class=\"num\">relative</th><th class=\"num\">allocated B/iteration</th></tr></thead><tbody>\n");
        foreach (var n in names)
        {
            var it = Get(n, "engine-iterations");
            var st = Get(n, "engine-steps");
            var perIteration = it is not null && st is not null && st.OpsPerSec > 0 ? st.OpsPerSec / it.OpsPerSec : 0;
            sb.Append("<tr><td>").Append(Html.E(n)).Append("</td><td class=\"num\">").Append(it is null ? "—" : Html.Si(it.OpsPerSec))
              .Append("</td><td class=\"num\">").Append(st is null ? "—" : Html.Si(st.OpsPerSec))
              .Append("</td><td class=\"num\">").Append(perIteration > 0 ? Html.F(perIteration, 1) : "—")
              .Append("</td><td class=\"num\">").Append(it is null ? "—" : $"{Html.F(it.MeanNs / 1000, 1)} [{Html.F(it.CiLowerNs / 1000, 1)}, {Html.F(it.CiUpperNs / 1000, 1)}]")
              .Append("</td><td class=\"num\">").Append(it is null || fastest <= 0 ? "—" : Html.F(it.OpsPerSec / fastest, 3) + "×")
              .Append("</td><td class=\"num\">").Append(it is null ? "—" : Html.E(it.AllocatedBytesPerOp.ToString("0", CultureInfo.InvariantCulture)))
              .Append("</td></tr>\n");
        }
        sb.Append("</tbody></table></div></section>\n");
    }

    private static string RatioClass(double ratio) => ratio switch
    {
        >= 1.5 => "r-good2",
        >= 1.1 => "r-good",
        > 0.9 => "r-even",
        > 0.6 => "r-bad",
        _ => "r-bad2",
    };

    // ---------------------------------------------------------------- charts

    private sealed record Point(int X, double Y, double Lo, double Hi, string Tip);

    private sealed record Series(string Lock, string Colour, bool Baseline, List<Point> Points);

    private static void Charts(StringBuilder sb, List<BenchRecord> records, List<string> locks, Dictionary<string, string> colours, string? baseName)
    {
        var workloads = records.Select(r => r.Workload).Distinct(StringComparer.Ordinal).ToList();
        sb.Append("<section id=\"charts\"><h2>Throughput</h2>\n<p class=\"legend\">ops/s over all threads (higher is better); whiskers span the confidence interval. ")
          .Append("Hover a point for its value.</p>\n");
        foreach (var w in workloads)
        {
            var rs = records.Where(r => r.Workload == w).ToList();
            var threads = rs.Select(r => r.Threads).Distinct().Order().ToList();
            var ratios = rs.Select(r => r.ReadRatio).Distinct().Order().ToList();
            sb.Append("<h3>").Append(Html.E(w)).Append("</h3>\n<div class=\"charts\">\n");
            if (threads.Count == 1 && ratios.Count == 1)
            {
                Bars(sb, $"{w}: {threads[0]} thread{(threads[0] == 1 ? "" : "s")}, {ratios[0].ToString("0.##", CultureInfo.InvariantCulture)}% reads", rs, locks, colours, baseName);
            }
            if (threads.Count > 1)
            {
                foreach (var ratio in ratios.OrderDescending())
                {
                    var series = MakeSeries(rs.Where(r => r.ReadRatio == ratio), locks, colours, baseName, r => threads.IndexOf(r.Threads));
                    Line(sb, "threads", w, $"{w}: throughput vs threads at {ratio.ToString("0.##", CultureInfo.InvariantCulture)}% reads",
                        threads.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToList(), "threads", series);
                }
            }
            if (ratios.Count > 1)
            {
                foreach (var t in threads)
                {
                    var series = MakeSeries(rs.Where(r => r.Threads == t), locks, colours, baseName, r => ratios.IndexOf(r.ReadRatio));
                    Line(sb, "read-ratio", w, $"{w}: throughput vs read ratio, {t} thread{(t == 1 ? "" : "s")}",
                        ratios.Select(x => x.ToString("0.##", CultureInfo.InvariantCulture) + "%").ToList(), "reads (% of operations)", series);
                }
            }
            sb.Append("</div>\n");
        }
        sb.Append("</section>\n");
    }

    private static List<Series> MakeSeries(IEnumerable<BenchRecord> rs, List<string> locks, Dictionary<string, string> colours, string? baseName, Func<BenchRecord, int> x)
    {
        var byLock = rs.GroupBy(r => r.Lock).ToDictionary(g => g.Key, g => g.ToList());
        var list = new List<Series>();
        foreach (var l in locks)
        {
            if (!byLock.TryGetValue(l, out var points))
            {
                continue;
            }
            var pts = points.GroupBy(x).Select(g => g.First()).OrderBy(x)
                .Select(r => new Point(x(r), r.OpsPerSec, r.OpsPerSecLow, r.OpsPerSecHigh,
                    string.Create(CultureInfo.InvariantCulture, $"{l}: {Html.Si(r.OpsPerSec)} ops/s, {r.MeanNs:0.##} ns/op ({r.Threads} threads, {r.ReadRatio:0.##}% reads)")))
                .ToList();
            list.Add(new Series(l, colours[l], l == baseName, pts));
        }
        return list;
    }

    private const double W = 650, H = 300, PadL = 62, PadR = 190, PadT = 30, PadB = 46;

    private static string D(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A line chart: categorical x axis, linear y axis from 0, one polyline per lock, legend on the right.</summary>
    private static void Line(StringBuilder sb, string kind, string workload, string title, List<string> xLabels, string xTitle, List<Series> series)
    {
        // Scale to the means, not the whiskers: one noisy interval must not flatten every line; whiskers are clipped at the top.
        var max = series.SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(1).Max() * 1.08;
        var (top, step) = NiceScale(max);
        double plotW = W - PadL - PadR, plotH = H - PadT - PadB;
        double X(int i) => PadL + (xLabels.Count == 1 ? plotW / 2 : plotW * (0.04 + 0.92 * i / (xLabels.Count - 1)));
        double Y(double v) => PadT + plotH * (1 - Math.Clamp(v / top, 0, 1.02));

        sb.Append("<figure><svg class=\"chart\" data-kind=\"").Append(kind).Append("\" data-workload=\"").Append(Html.E(workload))
          .Append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(D(W)).Append("\" height=\"").Append(D(H)).Append("\" viewBox=\"0 0 ")
          .Append(D(W)).Append(' ').Append(D(H)).Append("\" role=\"img\"><title>").Append(Html.E(title)).Append("</title>\n")
          .Append("<text class=\"title\" x=\"").Append(D(PadL)).Append("\" y=\"18\">").Append(Html.E(title)).Append("</text>\n");
        YAxis(sb, top, step, Y, plotW);
        sb.Append("<g class=\"axis x\">");
        for (var i = 0; i < xLabels.Count; i++)
        {
            sb.Append("<line x1=\"").Append(D(X(i))).Append("\" y1=\"").Append(D(PadT + plotH)).Append("\" x2=\"").Append(D(X(i))).Append("\" y2=\"").Append(D(PadT + plotH + 5))
              .Append("\"/><text x=\"").Append(D(X(i))).Append("\" y=\"").Append(D(PadT + plotH + 18)).Append("\" text-anchor=\"middle\">").Append(Html.E(xLabels[i])).Append("</text>");
        }
        sb.Append("<text class=\"atitle\" x=\"").Append(D(PadL + plotW / 2)).Append("\" y=\"").Append(D(H - 6)).Append("\" text-anchor=\"middle\">").Append(Html.E(xTitle)).Append("</text></g>\n");

        foreach (var s in series)
        {
            var pts = string.Join(" ", s.Points.Select(p => D(X(p.X)) + "," + D(Y(p.Y))));
            sb.Append("<g class=\"s\"><polyline class=\"series\" data-lock=\"").Append(Html.E(s.Lock)).Append("\" points=\"").Append(pts)
              .Append("\" fill=\"none\" stroke=\"").Append(s.Colour).Append("\" stroke-width=\"").Append(s.Baseline ? "2.5\" stroke-dasharray=\"6 4" : "2").Append("\"/>");
            foreach (var p in s.Points)
            {
                if (p.Hi > p.Lo)
                {
                    sb.Append("<line x1=\"").Append(D(X(p.X))).Append("\" y1=\"").Append(D(Y(p.Lo))).Append("\" x2=\"").Append(D(X(p.X))).Append("\" y2=\"").Append(D(Y(p.Hi)))
                      .Append("\" stroke=\"").Append(s.Colour).Append("\" stroke-width=\"1\"/>");
                }
                sb.Append("<circle cx=\"").Append(D(X(p.X))).Append("\" cy=\"").Append(D(Y(p.Y))).Append("\" r=\"3.2\" fill=\"").Append(s.Colour).Append("\"><title>")
                  .Append(Html.E(p.Tip)).Append("</title></circle>");
            }
            sb.Append("</g>\n");
        }
        ChartLegend(sb, series.Select(s => (s.Lock, s.Colour, s.Baseline)).ToList());
        sb.Append("</svg></figure>\n");
    }

    /// <summary>Horizontal bars, one per lock: for workloads measured at a single point (the uncontended pairs).</summary>
    private static void Bars(StringBuilder sb, string title, List<BenchRecord> rs, List<string> locks, Dictionary<string, string> colours, string? baseName)
    {
        var rows = locks.Select(l => rs.FirstOrDefault(r => r.Lock == l)).OfType<BenchRecord>().ToList();
        var max = rows.Select(r => r.OpsPerSec).DefaultIfEmpty(1).Max() * 1.08;
        var (top, step) = NiceScale(max);
        const double left = 190, right = 60, rowH = 20;
        var h = PadT + (rows.Count * rowH) + 40;
        var plotW = W - left - right;
        double X(double v) => left + plotW * Math.Clamp(v / top, 0, 1.02);

        sb.Append("<figure><svg class=\"chart\" data-kind=\"bars\" data-workload=\"").Append(Html.E(rs.FirstOrDefault()?.Workload)).Append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
          .Append(D(W)).Append("\" height=\"").Append(D(h)).Append("\" viewBox=\"0 0 ").Append(D(W)).Append(' ').Append(D(h)).Append("\" role=\"img\"><title>")
          .Append(Html.E(title)).Append("</title>\n<text class=\"title\" x=\"8\" y=\"18\">").Append(Html.E(title)).Append(" — ops/s</text>\n<g class=\"grid\">");
        for (var v = 0.0; v <= top * 1.0001; v += step)
        {
            sb.Append("<line x1=\"").Append(D(X(v))).Append("\" y1=\"").Append(D(PadT - 4)).Append("\" x2=\"").Append(D(X(v))).Append("\" y2=\"").Append(D(h - 30))
              .Append("\"/><text x=\"").Append(D(X(v))).Append("\" y=\"").Append(D(h - 16)).Append("\" text-anchor=\"middle\">").Append(Html.Si(v)).Append("</text>");
        }
        sb.Append("</g>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y = PadT + (i * rowH);
            var c = colours[r.Lock];
            sb.Append("<g class=\"bar\" data-lock=\"").Append(Html.E(r.Lock)).Append("\"><text x=\"").Append(D(left - 6)).Append("\" y=\"").Append(D(y + 13)).Append("\" text-anchor=\"end\">")
              .Append(Html.E(Short(r.Lock, 28))).Append(r.Lock == baseName ? " ◆" : "").Append("</text><rect x=\"").Append(D(left)).Append("\" y=\"").Append(D(y + 3)).Append("\" width=\"")
              .Append(D(Math.Max(1, X(r.OpsPerSec) - left))).Append("\" height=\"").Append(D(rowH - 6)).Append("\" fill=\"").Append(c).Append("\" fill-opacity=\"0.8\"><title>")
              .Append(Html.E(string.Create(CultureInfo.InvariantCulture, $"{r.Lock}: {Html.Si(r.OpsPerSec)} ops/s, {r.MeanNs:0.##} ns/op"))).Append("</title></rect>");
            if (r.OpsPerSecHigh > r.OpsPerSecLow)
            {
                sb.Append("<line x1=\"").Append(D(X(r.OpsPerSecLow))).Append("\" y1=\"").Append(D(y + 10)).Append("\" x2=\"").Append(D(X(r.OpsPerSecHigh))).Append("\" y2=\"")
                  .Append(D(y + 10)).Append("\" stroke=\"#222\" stroke-width=\"1\"/>");
            }
            sb.Append("<text class=\"val\" x=\"").Append(D(Math.Min(X(Math.Max(r.OpsPerSec, r.OpsPerSecHigh)), left + plotW) + 4)).Append("\" y=\"").Append(D(y + 13)).Append("\">").Append(Html.Si(r.OpsPerSec)).Append("</text></g>\n");
        }
        sb.Append("</svg></figure>\n");
    }

    private static void YAxis(StringBuilder sb, double top, double step, Func<double, double> y, double plotW)
    {
        sb.Append("<g class=\"grid\">");
        for (var v = 0.0; v <= top * 1.0001; v += step)
        {
            sb.Append("<line x1=\"").Append(D(PadL)).Append("\" y1=\"").Append(D(y(v))).Append("\" x2=\"").Append(D(PadL + plotW)).Append("\" y2=\"").Append(D(y(v)))
              .Append("\"/><text x=\"").Append(D(PadL - 6)).Append("\" y=\"").Append(D(y(v) + 4)).Append("\" text-anchor=\"end\">").Append(Html.Si(v)).Append("</text>");
        }
        sb.Append("</g><g class=\"axis\"><line x1=\"").Append(D(PadL)).Append("\" y1=\"").Append(D(PadT)).Append("\" x2=\"").Append(D(PadL)).Append("\" y2=\"").Append(D(y(0)))
          .Append("\"/><line x1=\"").Append(D(PadL)).Append("\" y1=\"").Append(D(y(0))).Append("\" x2=\"").Append(D(PadL + plotW)).Append("\" y2=\"").Append(D(y(0)))
          .Append("\"/><text class=\"atitle\" transform=\"translate(14 ").Append(D(PadT + ((H - PadT - PadB) / 2))).Append(") rotate(-90)\" text-anchor=\"middle\">ops/s</text></g>\n");
    }

    private static void ChartLegend(StringBuilder sb, List<(string Lock, string Colour, bool Baseline)> entries)
    {
        var x = W - PadR + 14;
        sb.Append("<g class=\"legend\">");
        for (var i = 0; i < entries.Count; i++)
        {
            var (l, c, b) = entries[i];
            var y = PadT + 6 + (i * 17);
            sb.Append("<line x1=\"").Append(D(x)).Append("\" y1=\"").Append(D(y)).Append("\" x2=\"").Append(D(x + 20)).Append("\" y2=\"").Append(D(y)).Append("\" stroke=\"").Append(c)
              .Append("\" stroke-width=\"2.5\"").Append(b ? " stroke-dasharray=\"5 3\"" : "").Append("/><text x=\"").Append(D(x + 25)).Append("\" y=\"").Append(D(y + 4)).Append("\">")
              .Append(Html.E(Short(l, 24))).Append("<title>").Append(Html.E(l)).Append("</title></text>");
        }
        sb.Append("</g>\n");
    }

    private static string Short(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    /// <summary>A 1-2-5 axis: the top tick at or above <paramref name="max"/> and the step between ticks (about 5 ticks).</summary>
    internal static (double Top, double Step) NiceScale(double max)
    {
        if (!(max > 0) || double.IsInfinity(max))
        {
            return (1, 0.2);
        }
        var raw = max / 5;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var norm = raw / mag;
        var step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
        return (Math.Ceiling(max / step) * step, step);
    }

    // ---------------------------------------------------------------- raw numbers

    private static void RawTable(StringBuilder sb, List<BenchRecord> lockRecords, List<BenchRecord> engines)
    {
        // Only lock operations must not allocate; the engines' records are listed but never flagged.
        var allocating = lockRecords.Count(r => r.AllocatedBytesPerOp > 0);
        var records = lockRecords.Concat(engines).ToList();
        sb.Append("<section id=\"raw\"><h2>All measurements</h2>\n<p class=\"legend\">")
          .Append(allocating == 0 ? "No lock measurement allocates: 0 bytes per operation everywhere (the engines' own records are not lock operations and are exempt)." : $"{allocating} measurement{(allocating == 1 ? "" : "s")} allocate (highlighted): the requirement is 0 bytes per operation.")
          .Append("</p>\n<details").Append(allocating > 0 ? " open" : "").Append("><summary>").Append(records.Count).Append(" records</summary><div class=\"scroll\"><table class=\"raw\"><thead><tr><th>lock</th><th>workload</th>")
          .Append("<th class=\"num\">threads</th><th class=\"num\">reads</th><th class=\"num\">ops/s</th><th class=\"num\">mean ns/op</th><th class=\"num\">CI ns/op</th><th class=\"num\">allocated B/op</th></tr></thead><tbody>\n");
        foreach (var r in records.OrderBy(r => r.Workload, StringComparer.Ordinal).ThenBy(r => r.Threads).ThenByDescending(r => r.ReadRatio).ThenBy(r => r.Lock, StringComparer.Ordinal))
        {
            sb.Append(r.AllocatedBytesPerOp > 0 && !IsEngine(r) ? "<tr class=\"alloc\">" : "<tr>").Append("<td>").Append(Html.E(r.Lock)).Append("</td><td>").Append(Html.E(r.Workload)).Append("</td><td class=\"num\">")
              .Append(r.Threads).Append("</td><td class=\"num\">").Append(Html.E(r.ReadRatio.ToString("0.##", CultureInfo.InvariantCulture))).Append("%</td><td class=\"num\">")
              .Append(Html.Si(r.OpsPerSec)).Append("</td><td class=\"num\">").Append(Html.F(r.MeanNs, 2)).Append("</td><td class=\"num\">")
              .Append(r.CiUpperNs > 0 ? $"[{Html.F(r.CiLowerNs, 2)}, {Html.F(r.CiUpperNs, 2)}]" : "—").Append("</td><td class=\"num\">")
              .Append(Html.E(r.AllocatedBytesPerOp.ToString("0.##", CultureInfo.InvariantCulture))).Append("</td></tr>\n");
        }
        sb.Append("</tbody></table></div></details></section>\n");
    }

    private const string Css = """
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2329;background:#fafbfc}
        header.top{background:#1f2a37;color:#f2f5f8;padding:16px 24px 10px}header.top h1{margin:0 0 8px;font-size:22px}
        header.top code{color:#fff;background:#33414f;padding:1px 6px;border-radius:4px}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dl.meta dt{color:#aab6c3}dl.meta dd{margin:0}
        section{padding:8px 24px 12px}h2{font-size:18px;border-bottom:1px solid #d9dde3;padding-bottom:4px}h3{font-size:15px;margin:14px 0 4px}
        .legend{color:#444;font-size:13px}.empty{color:#666;font-style:italic}.key{display:inline-block;margin-right:16px;white-space:nowrap}.key svg{vertical-align:middle;margin-right:4px}
        .scroll{overflow:auto;border:1px solid #d9dde3;background:#fff}
        table{border-collapse:collapse;font-size:13px}td,th{padding:3px 8px;border-bottom:1px solid #e3e6ea;text-align:left;white-space:nowrap}
        thead th{background:#eef1f5;position:sticky;top:0}th.lock{white-space:normal;overflow-wrap:break-word;min-width:5.5em;max-width:8em;vertical-align:bottom}.num{text-align:right !important;font-variant-numeric:tabular-nums}tfoot th,tfoot td{border-top:2px solid #c9ced6;font-weight:700}
        .r-good2{background:#b7e1be}.r-good{background:#dcf1df}.r-even{background:#fff}.r-bad{background:#fbe3e3}.r-bad2{background:#f4b9b9}.na{color:#aaa}
        tr.alloc{background:#fde4e4;font-weight:700}
        .charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;background:#fff;border:1px solid #d9dde3;border-radius:4px}
        svg.chart{font:11px system-ui,sans-serif;display:block}svg.chart .title{font-size:13px;font-weight:600;fill:#1d2329}
        svg.chart .grid line{stroke:#e6e9ee}svg.chart .grid text,svg.chart .axis text{fill:#555}svg.chart .axis line{stroke:#444}svg.chart .atitle{fill:#333;font-size:12px}
        svg.chart .legend text{fill:#222}svg.chart .val{fill:#333}
        footer{color:#666;font-size:12px;padding:12px 24px 24px}
        """;
}
