using System.Diagnostics;
using RwHarness.Reports;

namespace RwHarness.Cli.Commands;

/// <summary>
/// Measures benchmark cases again for <c>gate --recheck</c>: runs this same executable's <c>bench --quick</c> on
/// just those cases in a new process (between-process variation is what a recheck is for) and reads its bench.json.
/// </summary>
internal static class FreshProcessBench
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The cases' results, or null (with a line on stderr) when the child failed or timed out.</summary>
    public static BenchResults? Measure(IReadOnlyList<string> benchmarks)
    {
        var dir = Directory.CreateTempSubdirectory("rwharness-recheck-").FullName;
        try
        {
            var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var self = Environment.ProcessPath ?? "dotnet";
            psi.FileName = self;
            if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                // Started as "dotnet rwharness.dll": start the child the same way.
                psi.ArgumentList.Add(typeof(FreshProcessBench).Assembly.Location);
            }
            foreach (var a in (string[])["bench", "--quick", "--no-redis", "--report", dir])
            {
                psi.ArgumentList.Add(a);
            }
            foreach (var b in benchmarks)
            {
                psi.ArgumentList.Add("--filter");
                psi.ArgumentList.Add(FilterFor(b));
            }
            Console.Error.WriteLine($"rwharness gate: measuring again in a fresh process: {string.Join(", ", benchmarks)}");
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(Timeout))
            {
                p.Kill(entireProcessTree: true);
                Console.Error.WriteLine($"rwharness gate: the re-measurement did not finish within {Timeout.TotalMinutes} min");
                return null;
            }
            var bench = Path.Combine(dir, BenchResults.FileName);
            if (p.ExitCode != 0 || !File.Exists(bench))
            {
                var why = (stderr.Result + stdout.Result).ReplaceLineEndings(" ").Trim();
                Console.Error.WriteLine($"rwharness gate: the re-measurement failed (exit {p.ExitCode}): {(why.Length > 300 ? why[^300..] : why)}");
                return null;
            }
            return BenchResults.Read(bench);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is not worth failing the gate for.
            }
        }
    }

    /// <summary>
    /// The <c>--filter</c> glob that selects exactly the case bench.json names
    /// <c>Ns.Type.Method(Threads: 2, ReadPercent: 90, Lock: "bravo")</c>: <c>Ns.Type.Method(Threads=2, ReadPercent=90, Lock=bravo)</c>.
    /// </summary>
    internal static string FilterFor(string benchmark) =>
        benchmark.Replace(": \"", "=", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal).Replace(": ", "=", StringComparison.Ordinal);
}
