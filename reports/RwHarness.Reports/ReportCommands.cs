using System.Globalization;
using RwHarness.Results;

namespace RwHarness.Reports;

/// <summary>
/// Entry points for the CLI verbs <c>rwharness report --results DIR</c> and
/// <c>rwharness gate --baseline FILE --results DIR [--threshold 0.15]</c>. They take paths and a writer and
/// return the exit code: 0 ok, 1 the gate failed, 2 bad input (one line on the writer, never a stack trace).
/// </summary>
public static class ReportCommands
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    /// <summary>
    /// Rebuilds index.html and junit.xml from DIR/results.json, and bench.html from DIR/bench.json, whichever exist.
    /// </summary>
    public static int Report(string resultsDir, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            if (string.IsNullOrWhiteSpace(resultsDir) || !Directory.Exists(resultsDir))
            {
                return Bad(output, "report", $"results directory not found: {resultsDir}");
            }
            var resultsPath = Path.Combine(resultsDir, ResultsJson.FileName);
            var benchPath = Path.Combine(resultsDir, BenchResults.FileName);
            if (!File.Exists(resultsPath) && !File.Exists(benchPath))
            {
                return Bad(output, "report", $"{resultsDir} holds neither {ResultsJson.FileName} nor {BenchResults.FileName}");
            }
            if (File.Exists(resultsPath))
            {
                var results = ResultsJson.Read(resultsPath);
                ReportWriter.WriteViews(resultsDir, results);
                output.WriteLine($"wrote {Path.Combine(resultsDir, ReportWriter.IndexFileName)} and {Path.Combine(resultsDir, JUnitReport.FileName)}");
            }
            if (File.Exists(benchPath))
            {
                var bench = BenchResults.Read(benchPath);
                File.WriteAllText(Path.Combine(resultsDir, ReportWriter.BenchHtmlFileName), BenchReport.Render(bench));
                output.WriteLine($"wrote {Path.Combine(resultsDir, ReportWriter.BenchHtmlFileName)}");
            }
            return Ok;
        }
        catch (Exception e)
        {
            return Bad(output, "report", e.Message);
        }
    }

    /// <summary>
    /// Runs the gate: bench ratios in DIR/bench.json against <paramref name="baselineFile"/> (a bench.json),
    /// fail verdicts and uncaught mutants in DIR/results.json. Prints one line per finding.
    /// </summary>
    public static int Gate(string baselineFile, string resultsDir, double threshold, TextWriter output) =>
        Gate(baselineFile, resultsDir, threshold, output, BenchResults.DefaultBaseline);

    /// <inheritdoc cref="Gate(string, string, double, TextWriter)"/>
    public static int Gate(string baselineFile, string resultsDir, double threshold, TextWriter output, string baselineLock) =>
        Gate(baselineFile, resultsDir, threshold, output, baselineLock, recheck: 0, measure: null);

    /// <summary>
    /// As <see cref="Gate(string, string, double, TextWriter)"/>, then each throughput regression is measured again up to
    /// <paramref name="recheck"/> times with <paramref name="measure"/> (see <see cref="Reports.Gate.Recheck"/>).
    /// </summary>
    public static int Gate(string baselineFile, string resultsDir, double threshold, TextWriter output, string baselineLock, int recheck, Func<IReadOnlyList<string>, BenchResults?>? measure)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            if (double.IsNaN(threshold) || threshold < 0 || threshold >= 1)
            {
                return Bad(output, "gate", string.Create(CultureInfo.InvariantCulture, $"--threshold must be a fraction in [0, 1), got {threshold}"));
            }
            if (string.IsNullOrWhiteSpace(baselineFile) || !File.Exists(baselineFile))
            {
                return Bad(output, "gate", $"baseline file not found: {baselineFile}");
            }
            if (string.IsNullOrWhiteSpace(resultsDir) || !Directory.Exists(resultsDir))
            {
                return Bad(output, "gate", $"results directory not found: {resultsDir}");
            }
            var resultsPath = Path.Combine(resultsDir, ResultsJson.FileName);
            var benchPath = Path.Combine(resultsDir, BenchResults.FileName);
            if (!File.Exists(resultsPath) && !File.Exists(benchPath))
            {
                return Bad(output, "gate", $"{resultsDir} holds neither {ResultsJson.FileName} nor {BenchResults.FileName}");
            }
            var baseline = BenchResults.Read(baselineFile);
            var current = File.Exists(benchPath) ? BenchResults.Read(benchPath) : null;
            var results = File.Exists(resultsPath) ? ResultsJson.Read(resultsPath) : null;
            var report = Reports.Gate.Evaluate(baseline, current, results, threshold, baselineLock);
            if (recheck > 0 && measure is not null)
            {
                Reports.Gate.Recheck(report, measure, recheck, threshold);
            }
            report.WriteTo(output);
            return report.ExitCode;
        }
        catch (Exception e)
        {
            return Bad(output, "gate", e.Message);
        }
    }

    private static int Bad(TextWriter output, string verb, string message)
    {
        output.WriteLine($"rwharness {verb}: {message.ReplaceLineEndings(" ")}");
        return BadInput;
    }
}
