using AngleSharp.Html.Parser;
using RwHarness.Results;

namespace RwHarness.Reports.Tests;

public class BenchTests
{
    [Test]
    public void Bench_json_round_trips_with_camel_case_fields()
    {
        var b = BenchFixtures.Run();
        b.Records[5].MedianNs = 12.5;
        var json = BenchResults.Serialize(b);
        Assert.That(json, Does.Contain("\"schemaVersion\": \"1.1\"").And.Contain("\"opsPerSec\"").And.Contain("\"ciLowerNs\"").And.Contain("\"allocatedBytesPerOp\"").And.Contain("\"readRatio\""));
        Assert.That(json, Does.Not.Contain("opsPerSecLow").And.Not.Contain("\"key\""));
        Assert.That(json.Split("\"medianNs\"").Length - 1, Is.EqualTo(1), "written where known, left out where not");
        var back = BenchResults.Deserialize(json);
        Assert.That(back.Records, Has.Count.EqualTo(b.Records.Count));
        Assert.That(back.Records[5].OpsPerSec, Is.EqualTo(b.Records[5].OpsPerSec));
        Assert.That((back.Records[5].MedianNs, back.Records[4].MedianNs), Is.EqualTo(((double?)12.5, (double?)null)));
        Assert.That(back.Run.Machine.Cores, Is.EqualTo(2));

        var dir = Directory.CreateTempSubdirectory("rwh-bench-").FullName;
        try
        {
            ReportWriter.WriteBench(dir, b);
            Assert.That(File.Exists(Path.Combine(dir, "bench.json")) && File.Exists(Path.Combine(dir, "bench.html")));
            Assert.That(BenchResults.Read(dir).Records, Has.Count.EqualTo(b.Records.Count));
            File.WriteAllText(Path.Combine(dir, "bench.json"), "{ not json");
            Assert.Throws<InvalidDataException>(() => BenchResults.Read(dir));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void Ci_bounds_translate_to_throughput_bounds()
    {
        var r = new BenchRecord { OpsPerSec = 1000, MeanNs = 100, CiLowerNs = 80, CiUpperNs = 125 };
        Assert.That(r.OpsPerSecLow, Is.EqualTo(800).Within(1e-9));
        Assert.That(r.OpsPerSecHigh, Is.EqualTo(1250).Within(1e-9));
        Assert.That(new BenchRecord { OpsPerSec = 5 }.OpsPerSecLow, Is.EqualTo(5), "no CI: the point estimate");
    }

    [Test]
    public void Bench_page_has_charts_per_lock_and_the_ratio_table()
    {
        var b = BenchFixtures.Run();
        var html = BenchReport.Render(b);
        var doc = new HtmlParser().ParseDocument(html);

        Assert.That(doc.QuerySelectorAll("script, [src], link"), Is.Empty, "self-contained, no scripts");
        var vsThreads = doc.QuerySelectorAll("svg.chart[data-kind=threads]");
        var vsRatio = doc.QuerySelectorAll("svg.chart[data-kind=read-ratio]");
        Assert.That(vsThreads, Has.Length.EqualTo(5), "dictionary at each of 5 read ratios");
        Assert.That(vsRatio, Has.Length.EqualTo(3), "dictionary at each of 3 thread counts");
        Assert.That(doc.QuerySelectorAll("svg.chart[data-kind=bars]"), Has.Length.EqualTo(2), "the two uncontended pairs");
        foreach (var chart in vsThreads.Concat(vsRatio))
        {
            var lines = chart.QuerySelectorAll("polyline.series");
            Assert.That(lines.Select(l => l.GetAttribute("data-lock")), Is.EquivalentTo(BenchFixtures.Locks), "one polyline per lock");
            Assert.That(chart.QuerySelectorAll("g.legend text").Select(t => t.FirstChild!.TextContent), Is.EquivalentTo(BenchFixtures.Locks));
            Assert.That(chart.QuerySelectorAll("g.grid text"), Has.Length.GreaterThanOrEqualTo(3), "y ticks");
        }
        Assert.That(vsThreads[0].QuerySelector("polyline.series")!.GetAttribute("points")!.Split(' '), Has.Length.EqualTo(3));

        var table = doc.QuerySelector("table.ratios")!;
        Assert.That(table.QuerySelectorAll("thead th.lock").Select(t => t.TextContent), Is.EqualTo(new[] { "counter-negation", "reader-queue", "monitor" }));
        Assert.That(table.QuerySelectorAll("tbody tr"), Has.Length.EqualTo(2 + 15));
        var uncontendedRead = table.QuerySelectorAll("tbody tr").Single(r => r.TextContent.StartsWith("uncontended-read", StringComparison.Ordinal));
        Assert.That(uncontendedRead.QuerySelectorAll("td.num").Skip(3).Select(t => t.TextContent), Is.EqualTo(new[] { "2.10×", "1.70×", "1.40×" }));
        Assert.That(table.QuerySelectorAll("tfoot td"), Has.Length.EqualTo(3), "geometric mean per lock");
        Assert.That(doc.QuerySelectorAll("table.raw tbody tr"), Has.Length.EqualTo(b.Records.Count));
        Assert.That(doc.QuerySelectorAll("table.raw tr.alloc"), Is.Empty);
    }

    [Test]
    public void Bench_page_escapes_names_and_flags_allocations()
    {
        var b = BenchFixtures.Run();
        foreach (var r in b.Records.Where(r => r.Lock == "monitor"))
        {
            r.Lock = "<script>x()</script>";
            r.AllocatedBytesPerOp = 24;
        }
        var doc = new HtmlParser().ParseDocument(BenchReport.Render(b));
        Assert.That(doc.QuerySelectorAll("script"), Is.Empty);
        Assert.That(doc.QuerySelectorAll("table.ratios th.lock").Select(t => t.TextContent), Does.Contain("<script>x()</script>"));
        Assert.That(doc.QuerySelectorAll("table.raw tr.alloc"), Has.Length.EqualTo(17));
    }

    [Test]
    public void Bench_page_without_the_baseline_or_records_still_renders()
    {
        var b = BenchFixtures.Run();
        b.Records.RemoveAll(r => r.Lock == "ReaderWriterLockSlim");
        var doc = new HtmlParser().ParseDocument(BenchReport.Render(b));
        Assert.That(doc.QuerySelector("#ratios p.empty")!.TextContent, Does.Contain("ReaderWriterLockSlim"));
        Assert.That(doc.QuerySelectorAll("svg.chart"), Is.Not.Empty);
        var empty = new HtmlParser().ParseDocument(BenchReport.Render(new BenchResults()));
        Assert.That(empty.QuerySelector("p.empty"), Is.Not.Null);
    }

    [Test]
    public void Nice_scale_uses_1_2_5_steps()
    {
        Assert.That(BenchReport.NiceScale(97e6), Is.EqualTo((100e6, 20e6)));
        Assert.That(BenchReport.NiceScale(4.2), Is.EqualTo((5.0, 1.0)));
        Assert.That(BenchReport.NiceScale(0), Is.EqualTo((1.0, 0.2)));
    }
}
