using System.Globalization;
using System.Text;

namespace RwHarness.Scenarios.Linearizability;

/// <summary>
/// One operation of a concurrent history: who called what with which arguments, what it returned, and
/// when it was invoked and when it responded on a logical clock shared by all threads. Two operations
/// are ordered in real time when one responded before the other was invoked; otherwise they overlap and
/// may take effect in either order.
/// </summary>
/// <param name="Id">Position in the history (stable, used in explanations).</param>
/// <param name="Thread">The calling thread.</param>
/// <param name="Name">The operation (for the dictionary: Add, Delete, Query).</param>
/// <param name="Args">Its arguments.</param>
/// <param name="Result">What it returned; null for no value (void, or a lookup that found nothing).</param>
/// <param name="Invoke">Clock value when the call started.</param>
/// <param name="Response">Clock value when it returned; null while it is pending (it may then take effect or not, with any result).</param>
public sealed record HistoryOperation(int Id, int Thread, string Name, IReadOnlyList<string> Args, string? Result, long Invoke, long? Response)
{
    /// <summary>A call that has not returned: it may take effect at any point after its invocation, or never.</summary>
    public bool IsPending => Response is null;

    /// <summary>The call without its result, e.g. <c>Query(a)</c>.</summary>
    public string Call => $"{Name}({string.Join(", ", Args)})";

    /// <summary>e.g. <c>T1 Query(a) -> p1 [3..6]</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append('T').Append(Thread.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Call);
        if (IsPending)
        {
            sb.Append(" (pending) [").Append(Invoke.ToString(CultureInfo.InvariantCulture)).Append("..]");
        }
        else
        {
            sb.Append(" -> ").Append(Result ?? "nil")
                .Append(" [").Append(Invoke.ToString(CultureInfo.InvariantCulture)).Append("..")
                .Append(Response!.Value.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        return sb.ToString();
    }
}
