using System.Text.Json;
using System.Text.Json.Serialization;
using RwHarness.Results;

namespace RwHarness.Reports;

/// <summary>
/// The root of bench.json: one record per lock x workload x threads x read ratio, measured by the
/// BenchmarkDotNet suite in one run. Versioned by <see cref="SchemaVersion"/>; docs/reports.md documents every field.
/// The gate compares ratios against <see cref="Baseline"/> measured in the same run, never absolute numbers.
/// </summary>
public sealed class BenchResults
{
    public const string CurrentSchemaVersion = "1.1";
    public const string FileName = "bench.json";

    /// <summary>The lock every ratio is taken against unless a caller names another.</summary>
    public const string DefaultBaseline = "ReaderWriterLockSlim";

    /// <summary>Other names the default baseline may carry in a run (the harness's RWLS adapter).</summary>
    public static readonly IReadOnlyList<string> DefaultBaselineAliases = ["rwls-norecursion"];

    public string SchemaVersion { get; set; } = CurrentSchemaVersion;
    public string Tool { get; set; } = "rwharness";
    public RunInfo Run { get; set; } = new();

    /// <summary>Name of the baseline lock in <see cref="Records"/>; null means <see cref="DefaultBaseline"/>.</summary>
    public string? Baseline { get; set; }

    /// <summary>Confidence level of <see cref="BenchRecord.CiLowerNs"/>/<see cref="BenchRecord.CiUpperNs"/> (BenchmarkDotNet: 0.999).</summary>
    public double ConfidenceLevel { get; set; } = 0.999;

    /// <summary>The machine's load average (1, 5, 15 min) when the run started and ended, e.g. "0.31 0.52 1.10 at start, 1.02 0.70 1.12 at end"; null when unknown.</summary>
    public string? LoadAverage { get; set; }

    public List<BenchRecord> Records { get; set; } = [];

    public static string Serialize(BenchResults results) => JsonSerializer.Serialize(results, ResultsJson.Options);

    public static BenchResults Deserialize(string json) =>
        JsonSerializer.Deserialize<BenchResults>(json, ResultsJson.Options) ?? throw new InvalidDataException("bench.json is empty");

    public static void Write(string directory, BenchResults results)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), Serialize(results));
    }

    /// <summary>Reads DIR/bench.json (or a file path given directly).</summary>
    public static BenchResults Read(string directoryOrFile)
    {
        var path = Directory.Exists(directoryOrFile) ? Path.Combine(directoryOrFile, FileName) : directoryOrFile;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no bench results file at {path}");
        }
        try
        {
            return Deserialize(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid bench results file: {e.Message}", e);
        }
    }

    /// <summary>
    /// The baseline lock's name as it appears in this run: <paramref name="requested"/> if present, else this
    /// file's <see cref="Baseline"/>, else (for the default) one of <see cref="DefaultBaselineAliases"/>; null when absent.
    /// </summary>
    public string? ResolveBaseline(string requested = DefaultBaseline)
    {
        var names = Records.Select(r => r.Lock).Distinct(StringComparer.Ordinal).ToList();
        string? Find(string? n) => n is null ? null : names.FirstOrDefault(x => string.Equals(x, n, StringComparison.OrdinalIgnoreCase));
        var found = Find(requested);
        if (found is not null)
        {
            return found;
        }
        if (requested == DefaultBaseline)
        {
            found = Find(Baseline);
            if (found is not null)
            {
                return found;
            }
            foreach (var alias in DefaultBaselineAliases)
            {
                found = Find(alias);
                if (found is not null)
                {
                    return found;
                }
            }
        }
        return null;
    }
}

/// <summary>One lock x workload x threads x read ratio.</summary>
public sealed class BenchRecord
{
    public string Lock { get; set; } = "";

    /// <summary>For example <c>uncontended-read</c>, <c>uncontended-write</c>, <c>dictionary</c>, <c>empty</c>.</summary>
    public string Workload { get; set; } = "";

    public int Threads { get; set; } = 1;

    /// <summary>Percentage of operations that are reads, 0–100 (100 = read only).</summary>
    public double ReadRatio { get; set; }

    /// <summary>Operations per second over all threads.</summary>
    public double OpsPerSec { get; set; }

    /// <summary>Mean time per operation in nanoseconds, as BenchmarkDotNet reports it.</summary>
    public double MeanNs { get; set; }

    /// <summary>
    /// Median over the measured iterations, ns per operation (schema 1.1; absent in older files). On a VM whose
    /// speed changes in phases lasting seconds, a cell's mean depends on how many iterations fell into a slow
    /// phase; the median mostly does not.
    /// </summary>
    public double? MedianNs { get; set; }

    /// <summary>Lower bound of the mean's confidence interval (99.9% in BenchmarkDotNet), ns/op; 0 when unknown.</summary>
    public double CiLowerNs { get; set; }

    /// <summary>Upper bound of the mean's confidence interval, ns/op; 0 when unknown.</summary>
    public double CiUpperNs { get; set; }

    /// <summary>Managed bytes allocated per operation (the requirement is 0).</summary>
    public double AllocatedBytesPerOp { get; set; }

    /// <summary>The BenchmarkDotNet method/case this came from, for cross-reference with its exports.</summary>
    public string? Benchmark { get; set; }

    /// <summary>Throughput at the slow end of the CI (ops/s scale inversely with ns/op).</summary>
    [JsonIgnore]
    public double OpsPerSecLow => CiUpperNs > 0 && MeanNs > 0 ? OpsPerSec * MeanNs / CiUpperNs : OpsPerSec;

    /// <summary>Throughput at the fast end of the CI.</summary>
    [JsonIgnore]
    public double OpsPerSecHigh => CiLowerNs > 0 && MeanNs > 0 ? OpsPerSec * MeanNs / CiLowerNs : OpsPerSec;

    /// <summary>The point a ratio compares at: workload, threads and read ratio.</summary>
    [JsonIgnore]
    public (string Workload, int Threads, double ReadRatio) Key => (Workload, Threads, ReadRatio);
}
