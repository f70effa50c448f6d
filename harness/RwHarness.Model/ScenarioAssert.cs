namespace RwHarness.Model;

/// <summary>Thrown by scenario code when an assertion fails; every backend reports it as an invariant failure.</summary>
public sealed class ScenarioAssertionException(string message) : Exception(message);

/// <summary>Assertions for scenario bodies.</summary>
public static class ScenarioAssert
{
    public static void That(bool condition, string message)
    {
        if (!condition)
        {
            throw new ScenarioAssertionException(message);
        }
    }
}
