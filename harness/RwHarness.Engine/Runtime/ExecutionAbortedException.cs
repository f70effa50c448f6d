namespace RwHarness.Engine.Runtime;

/// <summary>
/// Unwinds a virtual thread out of an execution that has ended (a failure was found elsewhere).
/// Scenario code must not catch it; the host thread does.
/// </summary>
public sealed class ExecutionAbortedException : Exception
{
    public ExecutionAbortedException()
        : base("the execution was aborted by the engine")
    {
    }
}
