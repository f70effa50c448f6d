namespace RwHarness.Coyote;

/// <summary>Placeholder; filled in after looking at Coyote's trace format.</summary>
internal static class ReplaySettings
{
    public static string Embed(string trace, CoyoteOptions options) => trace;

    public static CoyoteOptions Read(string trace) => new();
}
