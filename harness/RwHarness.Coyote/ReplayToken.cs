using System.Text;

namespace RwHarness.Coyote;

/// <summary>
/// A Coyote replay token: <c>coyote1:LOCK:SCENARIO:TRACE</c>, where TRACE is base64url (no padding) of
/// Coyote's reproducible trace (the JSON Configuration.WithReproducibleTrace reads back). Lock and scenario
/// names are kebab-case and never contain ':'.
/// </summary>
public sealed record ReplayToken(string Lock, string Scenario, string Trace)
{
    public const string Prefix = "coyote1";

    public static bool IsCoyoteToken(string token) =>
        token is not null && token.StartsWith(Prefix + ":", StringComparison.Ordinal);

    public string Encode()
    {
        if (Lock.Contains(':', StringComparison.Ordinal) || Scenario.Contains(':', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"lock and scenario names may not contain ':' ({Lock}, {Scenario})");
        }
        return $"{Prefix}:{Lock}:{Scenario}:{Base64Url(Encoding.UTF8.GetBytes(Minify(Trace)))}";
    }

    public static ReplayToken Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Trim().Split(':', 4);
        if (parts.Length != 4 || parts[0] != Prefix || parts[1].Length == 0 || parts[2].Length == 0)
        {
            throw new FormatException($"not a Coyote replay token (expected {Prefix}:LOCK:SCENARIO:TRACE)");
        }
        string trace;
        try
        {
            trace = Encoding.UTF8.GetString(FromBase64Url(parts[3]));
        }
        catch (FormatException e)
        {
            throw new FormatException("the trace part of the Coyote replay token is not base64url", e);
        }
        return new ReplayToken(parts[1], parts[2], trace);
    }

    /// <summary>Coyote writes its trace indented; the same JSON without whitespace makes a shorter token.</summary>
    private static string Minify(string json)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(json)?.ToJsonString() ?? json;
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        b += (b.Length % 4) switch
        {
            2 => "==",
            3 => "=",
            0 => "",
            _ => throw new FormatException("bad base64url length"),
        };
        return Convert.FromBase64String(b);
    }
}
