using System.Text.Json;

namespace RwHarness.Coyote;

/// <summary>
/// Reads back, from Coyote's reproducible trace, the settings a replay must share with the recorded run:
/// Coyote writes them into the trace's "Settings" object (step bounds, race-checking switches, seed), so
/// the replay token needs nothing beyond the trace itself.
/// </summary>
internal static class ReplaySettings
{
    public static CoyoteOptions Read(string trace)
    {
        var options = new CoyoteOptions { Iterations = 1 };
        try
        {
            using var doc = JsonDocument.Parse(trace);
            if (!doc.RootElement.TryGetProperty("Settings", out var s) || s.ValueKind != JsonValueKind.Object)
            {
                return options;
            }
            if (s.TryGetProperty("MaxUnfairSchedulingSteps", out var steps) && steps.TryGetUInt32(out var maxSteps) && maxSteps > 0)
            {
                options = options with { MaxSteps = maxSteps };
            }
            if (s.TryGetProperty("Seed", out var seed) && seed.TryGetUInt32(out var seedValue))
            {
                options = options with { Seed = seedValue };
            }
            options = options with
            {
                BclRaceChecking = Flag(s, "IsAtomicOperationRaceCheckingEnabled") || Flag(s, "IsLockAccessRaceCheckingEnabled"),
                MemoryAccessRaceChecking = Flag(s, "IsMemoryAccessRaceCheckingEnabled"),
            };
        }
        catch (JsonException e)
        {
            throw new FormatException("the trace in the Coyote replay token is not Coyote's JSON trace", e);
        }
        return options;
    }

    private static bool Flag(JsonElement settings, string name) =>
        settings.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
