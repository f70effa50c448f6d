using System.Globalization;
using System.Text.Json;
using RwHarness.Reports;

namespace RwHarness.Benchmarks;

/// <summary>
/// Turns BenchmarkDotNet's full JSON export (<c>*-report-full.json</c>) into bench.json records: one per
/// lock x workload x threads x read ratio, with ops/s, mean ns/op, the mean's confidence interval and
/// allocated bytes per operation. Which record a benchmark case becomes is decided by its type, method and
/// parameters (see <see cref="Map"/>).
/// </summary>
public static class BdnJson
{
    /// <summary>Read ratio recorded for the engine benchmarks: 2 of the scenario's 3 threads read.</summary>
    public const double EngineReadRatio = 66.67;

    /// <summary>Reads every file and returns the records, in file order. Cases without statistics (failed) are skipped and named in <paramref name="skipped"/>.</summary>
    public static List<BenchRecord> Convert(IEnumerable<string> jsonFiles, IReadOnlyDictionary<string, double> engineStepsPerIteration, List<string>? skipped = null)
    {
        var records = new List<BenchRecord>();
        foreach (var file in jsonFiles)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            if (!doc.RootElement.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{file} is not a BenchmarkDotNet full JSON export (no Benchmarks array)");
            }
            foreach (var b in benchmarks.EnumerateArray())
            {
                var type = Str(b, "Type");
                var method = Str(b, "Method");
                var parameters = ParseParameters(Str(b, "Parameters"));
                var display = Str(b, "FullName") is { Length: > 0 } full ? full : $"{type}.{method}({Str(b, "Parameters")})";
                if (!b.TryGetProperty("Statistics", out var stats) || stats.ValueKind != JsonValueKind.Object)
                {
                    skipped?.Add(display);
                    continue;
                }
                var mean = Num(stats, "Mean");
                var median = stats.TryGetProperty("Median", out var md) && md.ValueKind == JsonValueKind.Number ? md.GetDouble() : (double?)null;
                double lower = 0, upper = 0;
                if (stats.TryGetProperty("ConfidenceInterval", out var ci) && ci.ValueKind == JsonValueKind.Object)
                {
                    lower = Num(ci, "Lower");
                    upper = Num(ci, "Upper");
                }
                double allocated = 0;
                if (b.TryGetProperty("Memory", out var mem) && mem.ValueKind == JsonValueKind.Object)
                {
                    allocated = Num(mem, "BytesAllocatedPerOperation");
                }
                foreach (var (lockName, workload, threads, ratio, scale) in Map(type, method, parameters, engineStepsPerIteration))
                {
                    // scale: operations per measured operation (steps per iteration for engine-steps).
                    var m = mean / scale;
                    records.Add(new BenchRecord
                    {
                        Lock = lockName,
                        Workload = workload,
                        Threads = threads,
                        ReadRatio = ratio,
                        MeanNs = m,
                        OpsPerSec = m > 0 ? 1e9 / m : 0,
                        CiLowerNs = Math.Max(0, lower / scale),
                        CiUpperNs = Math.Max(0, upper / scale),
                        AllocatedBytesPerOp = allocated / scale,
                        MedianNs = median / scale,
                        Benchmark = display,
                    });
                }
            }
        }
        return records;
    }

    /// <summary>The record(s) one benchmark case becomes: lock, workload, threads, read ratio, and operations per measured operation.</summary>
    internal static IEnumerable<(string Lock, string Workload, int Threads, double ReadRatio, double Scale)> Map(
        string type, string method, IReadOnlyDictionary<string, string> p, IReadOnlyDictionary<string, double> engineSteps)
    {
        var lockName = p.GetValueOrDefault("Lock", "");
        var threads = int.TryParse(p.GetValueOrDefault("Threads"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 1;
        var ratio = double.TryParse(p.GetValueOrDefault("ReadPercent"), NumberStyles.Float, CultureInfo.InvariantCulture, out var r) ? r : 100;
        switch (type, method)
        {
            case (nameof(UncontendedBenchmarks), nameof(UncontendedBenchmarks.ReadPair)):
                yield return (lockName, "uncontended-read", 1, 100, 1);
                break;
            case (nameof(UncontendedBenchmarks), nameof(UncontendedBenchmarks.WritePair)):
                yield return (lockName, "uncontended-write", 1, 0, 1);
                break;
            case (nameof(ThroughputBenchmarks), nameof(ThroughputBenchmarks.Empty)):
                yield return (lockName, "empty", threads, ratio, 1);
                break;
            case (nameof(ThroughputBenchmarks), nameof(ThroughputBenchmarks.Dictionary)):
                yield return (lockName, "dictionary", threads, ratio, 1);
                break;
            case (nameof(CounterBaselines), nameof(CounterBaselines.SharedCounter)):
                yield return ("shared-counter", "empty", threads, 100, 1);
                break;
            case (nameof(CounterBaselines), nameof(CounterBaselines.PaddedCounters)):
                yield return ("padded-counters", "empty", threads, 100, 1);
                break;
            case (nameof(EngineBenchmarks), nameof(EngineBenchmarks.NativeEngine) or nameof(EngineBenchmarks.CoyoteEngine)):
                var engine = method == nameof(EngineBenchmarks.NativeEngine) ? "native-engine" : "coyote-engine";
                yield return (engine, "engine-iterations", 1, EngineReadRatio, 1);
                if (engineSteps.TryGetValue(method, out var steps) && steps > 0)
                {
                    yield return (engine, "engine-steps", 1, EngineReadRatio, steps);
                }
                break;
            default:
                yield return (lockName.Length > 0 ? lockName : type, method.ToLowerInvariant(), threads, ratio, 1);
                break;
        }
    }

    /// <summary>"Lock=bravo&amp;ReadPercent=99&amp;Threads=2" to a dictionary.</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                d[part[..eq]] = part[(eq + 1)..];
            }
        }
        return d;
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static double Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
}
