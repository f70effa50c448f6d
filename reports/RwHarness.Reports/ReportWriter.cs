using System.Text;
using RwHarness.Results;

namespace RwHarness.Reports;

/// <summary>Writes a run's report files into one directory.</summary>
public static class ReportWriter
{
    public const string IndexFileName = "index.html";
    public const string BenchHtmlFileName = "bench.html";

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Writes results.json, junit.xml and index.html into <paramref name="dir"/> (created if needed).</summary>
    public static void WriteAll(string dir, RunResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        ResultsJson.Write(dir, results);
        WriteViews(dir, results);
    }

    /// <summary>Writes junit.xml and index.html from results already on disk (results.json is left alone).</summary>
    public static void WriteViews(string dir, RunResults results)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, JUnitReport.FileName), JUnitReport.Render(results), Utf8);
        File.WriteAllText(Path.Combine(dir, IndexFileName), HtmlReport.Render(results), Utf8);
    }

    /// <summary>Writes bench.json and bench.html into <paramref name="dir"/>.</summary>
    public static void WriteBench(string dir, BenchResults bench, string baselineLock = BenchResults.DefaultBaseline)
    {
        ArgumentNullException.ThrowIfNull(bench);
        BenchResults.Write(dir, bench);
        File.WriteAllText(Path.Combine(dir, BenchHtmlFileName), BenchReport.Render(bench, baselineLock), Utf8);
    }
}
