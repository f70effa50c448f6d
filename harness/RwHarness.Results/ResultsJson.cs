using System.Text.Json;
using System.Text.Json.Serialization;

namespace RwHarness.Results;

/// <summary>Reads and writes results.json (camelCase, indented, nulls omitted).</summary>
public static class ResultsJson
{
    public const string FileName = "results.json";

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string Serialize(RunResults results) => JsonSerializer.Serialize(results, Options);

    public static RunResults Deserialize(string json) =>
        JsonSerializer.Deserialize<RunResults>(json, Options) ?? throw new InvalidDataException("results.json is empty");

    public static void Write(string directory, RunResults results)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), Serialize(results));
    }

    /// <summary>Reads DIR/results.json (or a file path given directly).</summary>
    public static RunResults Read(string directoryOrFile)
    {
        var path = Directory.Exists(directoryOrFile) ? Path.Combine(directoryOrFile, FileName) : directoryOrFile;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no results file at {path}");
        }
        try
        {
            return Deserialize(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid results file: {e.Message}", e);
        }
    }
}
